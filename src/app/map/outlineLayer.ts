/**
 * Region outlines as one line list drawn in a single non-instanced draw of 1-pixel GL lines.
 * deck.gl's own outlines (a GeoJsonLayer's stroke, i.e. a PathLayer) draw one instance per
 * edge, and a software renderer (SwiftShader, Chromium without a GPU) pays about 0.1 ms per
 * instance: 5,000 twelve-sided regions held the page for 8 to 11 s after each new layer list.
 */
import {
  Layer,
  project32,
  type Color,
  type DefaultProps,
  type LayerProps,
  type UpdateParameters,
} from '@deck.gl/core';
import { Model } from '@luma.gl/engine';

export interface OutlineLayerProps extends LayerProps {
  /** Edges as [x0, y0, x1, y1, ...] in lon/lat (core/city/geometry's ringEdges). */
  edges: Float64Array;
  /** RGBA, 0-255. */
  color: Color;
}

const uniformBlock = /* glsl */ `\
layout(std140) uniform outlineUniforms {
  vec4 color;
} outline;
`;

const outlineUniforms = {
  name: 'outline',
  vs: uniformBlock,
  fs: uniformBlock,
  uniformTypes: { color: 'vec4<f32>' },
} as const;

const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME region-outline-layer-vertex-shader

in vec3 positions;
in vec3 positions64Low;

void main(void) {
  geometry.worldPosition = positions;
  gl_Position = project_position_to_clipspace(positions, positions64Low, vec3(0.0), geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME region-outline-layer-fragment-shader

precision highp float;

out vec4 fragColor;

void main(void) {
  fragColor = outline.color;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

const defaultProps: DefaultProps<OutlineLayerProps> = {
  edges: { type: 'object', value: new Float64Array(0), compare: true },
  color: { type: 'color', value: [255, 255, 255, 255] },
};

/** Float64 lon/lat pairs as deck's 32-bit positions and their low parts (z = 0). */
function splitPositions(edges: Float64Array): { high: Float32Array; low: Float32Array } {
  const n = edges.length / 2;
  const high = new Float32Array(n * 3);
  const low = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const v = edges[2 * i + k];
      const h = Math.fround(v);
      high[3 * i + k] = h;
      low[3 * i + k] = v - h;
    }
  }
  return { high, low };
}

export class OutlineLayer extends Layer<OutlineLayerProps> {
  static layerName = 'OutlineLayer';
  static defaultProps = defaultProps;

  declare state: { model?: Model; buffers?: { destroy(): void }[] };

  getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, outlineUniforms] });
  }

  /** The model is built in updateState, which follows at once with the first props. */
  initializeState(): void {}

  updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    // Built here only (the first update's oldProps have no edges): twice was 0.2 s at 20,000 regions.
    if (!this.state.model || params.props.edges !== params.oldProps.edges) {
      this.release();
      this.buildModel();
    }
  }

  finalizeState(context: Parameters<Layer['finalizeState']>[0]): void {
    super.finalizeState(context);
    this.release();
  }

  draw(): void {
    const { model } = this.state;
    if (!model || model.vertexCount === 0) return;
    const [r, g, b, a = 255] = this.props.color;
    model.shaderInputs.setProps({
      outline: { color: [r / 255, g / 255, b / 255, (a / 255) * this.props.opacity] },
    });
    model.draw(this.context.renderPass);
  }

  private release(): void {
    this.state.model?.destroy();
    for (const b of this.state.buffers ?? []) b.destroy();
    this.state.model = undefined;
    this.state.buffers = undefined;
  }

  /** The positions go to the GPU as they are (a luma Geometry would copy them once more). */
  private buildModel(): void {
    const { high, low } = splitPositions(this.props.edges);
    const { device } = this.context;
    const positions = device.createBuffer({ data: high });
    const positions64Low = device.createBuffer({ data: low });
    this.state.buffers = [positions, positions64Low];
    this.state.model = new Model(device, {
      ...this.getShaders(),
      id: this.props.id,
      topology: 'line-list',
      vertexCount: high.length / 3,
      bufferLayout: [
        { name: 'positions', format: 'float32x3' },
        { name: 'positions64Low', format: 'float32x3' },
      ],
      attributes: { positions, positions64Low },
    });
  }
}
