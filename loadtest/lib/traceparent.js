// A fresh W3C trace context per request (sampled), so every k6 request starts its own trace.
const hex = (bytes) => {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
};

export function randomTraceparent() {
  return `00-${hex(16)}-${hex(8)}-01`;
}
