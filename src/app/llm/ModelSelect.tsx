import { modelSizeText, type LlmModelChoice } from '../../core/llm/models';

/**
 * A labelled picker of web-llm models, each shown with its size first (GPU memory, about its
 * download), where a narrow select still shows it.
 */
export function ModelSelect({
  label,
  choices,
  value,
  onChange,
  disabled = false,
  className,
}: {
  label: string;
  choices: LlmModelChoice[];
  value: string;
  onChange: (modelId: string) => void;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <label className={className}>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {modelSizeText(c.sizeMB)} · {c.id}
          </option>
        ))}
      </select>
    </label>
  );
}
