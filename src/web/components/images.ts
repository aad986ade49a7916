/**
 * 28×28 images on canvases: raw pixels (grey) and weight templates (diverging red/blue, scaled to
 * the template's largest magnitude so each class shows its own pattern).
 */
export function pixelCanvas(pixels: ArrayLike<number>, label: string, size = 28): HTMLCanvasElement {
  const canvas = makeCanvas(label, size);
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const v = 255 - pixels[i];
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

export function templateCanvas(weights: ArrayLike<number>, label: string, size = 28): HTMLCanvasElement {
  const canvas = makeCanvas(label, size);
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  let scale = 0;
  for (let i = 0; i < size * size; i++) scale = Math.max(scale, Math.abs(weights[i]));
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const v = scale > 0 ? weights[i] / scale : 0;
    const fade = Math.round(255 * (1 - Math.abs(v)));
    image.data.set(v >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

function makeCanvas(label: string, size: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}
