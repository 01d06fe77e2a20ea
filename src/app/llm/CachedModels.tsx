import { useState } from 'react';
import { cachedModels, deleteCachedModel } from './webllm';

/** The web-llm models kept in this browser's cache, each with a button that deletes it. */
export function CachedModels() {
  const [models, setModels] = useState<{ id: string; sizeMB: number }[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const look = async (): Promise<void> => {
    setMessage(null);
    try {
      setModels(await cachedModels());
    } catch (e) {
      setMessage(`The model cache could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <fieldset className="settings-block" data-testid="cached-models">
      <legend>Cached LLM models</legend>
      {models === null ? (
        <button type="button" onClick={() => void look()}>
          Show cached models
        </button>
      ) : models.length === 0 ? (
        <p className="hint" role="status">
          No web-llm model is cached in this browser.
        </p>
      ) : (
        <ul className="cached-models">
          {models.map((m) => (
            <li key={m.id}>
              {m.id} (about {Math.round(m.sizeMB)} MB){' '}
              <button
                type="button"
                onClick={() =>
                  void deleteCachedModel(m.id)
                    .then(look)
                    .catch((e: unknown) => setMessage(`Could not delete ${m.id}: ${String(e)}`))
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p className="hint error" role="alert">
          {message}
        </p>
      )}
    </fieldset>
  );
}
