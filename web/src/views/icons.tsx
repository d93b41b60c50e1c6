import type { ComponentChildren, JSX } from 'preact';

/*
 * The storefront's pictures, drawn as inline SVG so that they need no emoji font (Debian's headless
 * Chromium has none) and no file of their own. All of them are decorative: hidden from assistive
 * technology and never focusable. Colours are fill attributes or currentColor, never inline styles
 * (the Content-Security-Policy forbids them).
 */

function Svg({ class: className, size, children }: { class: string; size: number; children: ComponentChildren }) {
  return (
    <svg
      class={className}
      viewBox={`0 0 ${size} ${size}`}
      xmlns="http://www.w3.org/2000/svg"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** The brand's cupcake, in the colour of the text around it. */
export function CupcakeLogo() {
  return (
    <Svg class="icon icon-logo" size={24}>
      <g fill="currentColor">
        <circle cx="12" cy="3.4" r="1.9" />
        <path d="M4.5 13.5C2.6 13.5 2.2 10.6 4 10c-.7-2.2 1.3-3.9 3.3-3.1C7.9 4.9 10 4.3 12 5.6c2-1.3 4.1-.7 4.7 1.3 2-.8 4 .9 3.3 3.1 1.8.6 1.4 3.5-.5 3.5Z" />
        <path d="M5 15h3.2l1.5 7.5H7.6a.9.9 0 0 1-.9-.7Z" />
        <path d="M9 15h2.6l.1 7.5h-1.4Z" />
        <path d="M12.4 15H15l-1.3 7.5h-1.4Z" />
        <path d="M15.8 15H19l-1.7 6.8a.9.9 0 0 1-.9.7h-2.1Z" />
      </g>
    </Svg>
  );
}

/** A shopping cart, in the colour of the text around it. */
export function CartIcon() {
  return (
    <Svg class="icon icon-cart" size={24}>
      <path
        d="M2.75 3.75h2.5l2.2 10.6a1.75 1.75 0 0 0 1.72 1.4h8.1a1.75 1.75 0 0 0 1.7-1.33L20.75 7.5H5.95"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
      <circle cx="9.5" cy="20" r="1.6" fill="currentColor" />
      <circle cx="17.5" cy="20" r="1.6" fill="currentColor" />
    </Svg>
  );
}

/* Product illustrations: 64 × 64, flat, each standing on the same soft shadow. */

const shadow = <ellipse cx="32" cy="54" rx="24" ry="4.5" fill="#efd6c0" />;

function Cake() {
  return (
    <>
      {shadow}
      <ellipse cx="32" cy="51" rx="25" ry="4" fill="#ffffff" />
      <path d="M12 30V47A20 5.5 0 0 0 52 47V30Z" fill="#e8ad62" />
      <path d="M12 38A20 5.5 0 0 0 52 38V42A20 5.5 0 0 1 12 42Z" fill="#fff1e0" />
      <path d="M12 30A20 5.5 0 0 0 52 30V32A20 5.5 0 0 1 12 32Z" fill="#ef94b1" />
      <g fill="#ef94b1">
        <rect x="15" y="32" width="4" height="7" rx="2" />
        <rect x="24" y="34" width="4.5" height="8.5" rx="2.25" />
        <rect x="35" y="34" width="4" height="6" rx="2" />
        <rect x="44" y="32" width="4.5" height="8.5" rx="2.25" />
      </g>
      <ellipse cx="32" cy="30" rx="20" ry="5.5" fill="#f4a9c0" />
      <ellipse cx="30" cy="29.2" rx="12" ry="2.6" fill="#f8c3d3" />
      <path d="M32 22c.4-3 2-4.8 4.5-5.6" fill="none" stroke="#6b3a1e" stroke-width="1.6" stroke-linecap="round" />
      <circle cx="32" cy="25.5" r="4" fill="#d23842" />
      <circle cx="30.6" cy="24.1" r="1.2" fill="#ffffff" fill-opacity="0.7" />
    </>
  );
}

function Pie() {
  return (
    <>
      {shadow}
      <path d="M8 34L12 45A20 7 0 0 0 52 45L56 34A24 9 0 0 1 8 34Z" fill="#b5602e" />
      <path d="M10.6 41.5A22 8 0 0 0 53.4 41.5" fill="none" stroke="#9a4e22" stroke-width="1.5" />
      <ellipse cx="32" cy="34" rx="24" ry="9" fill="#e5a653" />
      <ellipse
        cx="32"
        cy="34"
        rx="21.5"
        ry="7.8"
        fill="none"
        stroke="#c98636"
        stroke-width="2"
        stroke-dasharray="1 3"
        stroke-linecap="round"
      />
      <ellipse cx="32" cy="34" rx="19" ry="6.5" fill="#f2cf3f" />
      <ellipse cx="28" cy="32.5" rx="9" ry="2.2" fill="#f7e07a" />
      <g stroke="#f0bc6d" stroke-width="3" stroke-linecap="round">
        <path d="M22 28.5V39.5" />
        <path d="M32 27.5V40.5" />
        <path d="M42 28.5V39.5" />
        <path d="M15.1 31H48.9" />
        <path d="M15.1 37H48.9" />
      </g>
    </>
  );
}

function Bonbon() {
  return (
    <>
      {shadow}
      <circle cx="32" cy="30" r="14" fill="#6b3a1e" />
      <ellipse cx="26.5" cy="23.5" rx="4.2" ry="2.4" fill="#8e5634" transform="rotate(-30 26.5 23.5)" />
      <g stroke-width="2.2" stroke-linecap="round">
        <path d="M25 19.5l2 1.4" stroke="#f6c85f" />
        <path d="M35 18.5l2-.8" stroke="#ffffff" />
        <path d="M40 24l.9 2" stroke="#f28bb0" />
        <path d="M30.5 27.5l2-.6" stroke="#8fd3c7" />
        <path d="M23.5 29.5l.4 2" stroke="#ffffff" />
        <path d="M35.5 31l2 1" stroke="#f6c85f" />
        <path d="M43 31l-.6 2" stroke="#8fd3c7" />
        <path d="M28.5 34.5l1.8 1" stroke="#f28bb0" />
      </g>
      <g fill="#e9658f">
        <path d="M13 37H51L46.3 52.1A2 2 0 0 1 44.4 53.5H19.6A2 2 0 0 1 17.7 52.1Z" />
        <circle cx="15" cy="37" r="2.4" />
        <circle cx="19.5" cy="37" r="2.4" />
        <circle cx="24" cy="37" r="2.4" />
        <circle cx="28.5" cy="37" r="2.4" />
        <circle cx="33" cy="37" r="2.4" />
        <circle cx="37.5" cy="37" r="2.4" />
        <circle cx="42" cy="37" r="2.4" />
        <circle cx="46.5" cy="37" r="2.4" />
        <circle cx="49.5" cy="37" r="2.2" />
      </g>
      <g stroke="#c94873" stroke-width="1.3" stroke-linecap="round">
        <path d="M20 40.5l2 11" />
        <path d="M26 40.5l.8 11.5" />
        <path d="M32 40.5V52" />
        <path d="M38 40.5l-.8 11.5" />
        <path d="M44 40.5l-2 11" />
      </g>
    </>
  );
}

function Cookie() {
  return (
    <>
      {shadow}
      <path d="M52.28 26.56A21 21 0 1 1 39.18 12.26A5 5 0 0 0 45.6 18.6A6 6 0 0 0 52.28 26.56Z" fill="#d9964a" />
      <path d="M16 40a18 18 0 0 0 29 6" fill="none" stroke="#c47f36" stroke-width="2" stroke-linecap="round" />
      <g fill="#e8b06a">
        <circle cx="27" cy="29" r="1.4" />
        <circle cx="40" cy="26" r="1.1" />
        <circle cx="38" cy="45" r="1.2" />
        <circle cx="18" cy="31" r="1" />
      </g>
      <g fill="#5a2e14">
        <ellipse cx="24" cy="22" rx="3.2" ry="2.6" transform="rotate(-20 24 22)" />
        <ellipse cx="35" cy="31" rx="3" ry="2.4" transform="rotate(25 35 31)" />
        <ellipse cx="21" cy="38" rx="3" ry="2.5" transform="rotate(10 21 38)" />
        <ellipse cx="31" cy="43" rx="3.4" ry="2.6" transform="rotate(-15 31 43)" />
        <ellipse cx="44" cy="37" rx="2.8" ry="2.3" transform="rotate(30 44 37)" />
        <ellipse cx="32" cy="17.5" rx="2.4" ry="2" />
      </g>
      <g fill="#d9964a">
        <circle cx="50" cy="15" r="1.3" />
        <circle cx="54" cy="19.5" r="1" />
      </g>
    </>
  );
}

function ChocolateBar() {
  return (
    <>
      {shadow}
      <g transform="rotate(-12 32 32)">
        <rect x="17" y="7" width="30" height="44" rx="3" fill="#6b3a1e" />
        <g fill="#84492a">
          <rect x="20" y="10" width="11" height="8.5" rx="1.5" />
          <rect x="33" y="10" width="11" height="8.5" rx="1.5" />
          <rect x="20" y="21" width="11" height="8.5" rx="1.5" />
          <rect x="33" y="21" width="11" height="8.5" rx="1.5" />
        </g>
        <g fill="#9a5a35">
          <rect x="20" y="10" width="11" height="2" rx="1" />
          <rect x="33" y="10" width="11" height="2" rx="1" />
          <rect x="20" y="21" width="11" height="2" rx="1" />
          <rect x="33" y="21" width="11" height="2" rx="1" />
        </g>
        <path d="M15 31l3-3 3 3 3-3 3 3 3-3 3 3 3-3 3 3 3-3 3 3 3-3 1 1V38H15Z" fill="#f2c14e" />
        <rect x="15" y="35" width="34" height="19" rx="2.5" fill="#c4343c" />
        <rect x="15" y="41" width="34" height="6" fill="#a82a31" />
        <path d="M25 44h14" stroke="#f2c14e" stroke-width="2" stroke-linecap="round" />
      </g>
    </>
  );
}

function Bread() {
  return (
    <>
      {shadow}
      <path d="M9 46C9 30 19.5 21 32 21S55 30 55 46A4 4 0 0 1 51 50H13A4 4 0 0 1 9 46Z" fill="#dc9544" />
      <path d="M9 43.5H55V46A4 4 0 0 1 51 50H13A4 4 0 0 1 9 46Z" fill="#c47530" />
      <path d="M14 36C15.5 29.5 21 25 27 24" fill="none" stroke="#eab46a" stroke-width="2.5" stroke-linecap="round" />
      <g fill="none" stroke="#f5d49c" stroke-width="2.6" stroke-linecap="round">
        <path d="M20 38c2-4 4.5-6.5 7.5-8" />
        <path d="M28 39.5c2-4.5 4.5-7 7.5-8.5" />
        <path d="M36 40c2-4 4.5-6.5 7-7.5" />
      </g>
    </>
  );
}

function Coxinha() {
  return (
    <>
      {shadow}
      <path d="M32 11C35 18 48 28 48 40C48 48 41 53 32 53S16 48 16 40C16 28 29 18 32 11Z" fill="#d8893a" />
      <path
        d="M42 30C46 35 47 40 45.5 45C43 50 38 52 32 52.5"
        fill="none"
        stroke="#bd6e25"
        stroke-width="2.5"
        stroke-linecap="round"
      />
      <path d="M23.5 36c.6-5 3-9.5 6.5-14" fill="none" stroke="#f1b769" stroke-width="3" stroke-linecap="round" />
      <g fill="#b8691f">
        <circle cx="34" cy="24" r="1" />
        <circle cx="38" cy="31" r="1.1" />
        <circle cx="31" cy="33" r="1" />
        <circle cx="27" cy="42" r="1.1" />
        <circle cx="35" cy="40" r="1" />
        <circle cx="41" cy="38" r="1" />
        <circle cx="22" cy="45" r="1" />
        <circle cx="33" cy="47" r="1.1" />
      </g>
    </>
  );
}

function Cupcake() {
  return (
    <>
      {shadow}
      <path d="M17 35H47L43.3 51.9A2 2 0 0 1 41.3 53.5H22.7A2 2 0 0 1 20.7 51.9Z" fill="#63afa5" />
      <g stroke="#4e968c" stroke-width="1.4" stroke-linecap="round">
        <path d="M24 38l1.6 13" />
        <path d="M32 38V51" />
        <path d="M40 38l-1.6 13" />
      </g>
      <path
        d="M14 35C10.5 35 10 29.5 13.8 28.6C12 23.4 16.8 20.2 21 22C22 16.5 28.5 14.5 32 18.4C35.5 14.5 42 16.5 43 22C47.2 20.2 52 23.4 50.2 28.6C54 29.5 53.5 35 50 35Z"
        fill="#fbe1e9"
      />
      <path
        d="M17 30c5 2.5 10 3 15 3s10-.5 15-3"
        fill="none"
        stroke="#f2b2c6"
        stroke-width="2"
        stroke-linecap="round"
      />
      <path
        d="M24 23.5c3 1.5 5.5 2 8 2s5-.5 8-2"
        fill="none"
        stroke="#f2b2c6"
        stroke-width="2"
        stroke-linecap="round"
      />
      <path d="M32 13c.4-2.6 1.8-4.2 4-5" fill="none" stroke="#6b3a1e" stroke-width="1.6" stroke-linecap="round" />
      <circle cx="32" cy="15.5" r="3.6" fill="#d23842" />
      <circle cx="30.8" cy="14.3" r="1.1" fill="#ffffff" fill-opacity="0.7" />
    </>
  );
}

const drawings: Record<string, () => JSX.Element> = {
  bolos: Cake,
  tortas: Pie,
  docinhos: Bonbon,
  biscoitos: Cookie,
  chocolates: ChocolateBar,
  paes: Bread,
  salgados: Coxinha,
};

/** The picture of a product: a drawing for its category, a cupcake for any other. */
export function ProductPicture({ category }: { category: string }) {
  const Drawing = drawings[category] ?? Cupcake;
  return (
    <Svg class="product-picture" size={64}>
      <Drawing />
    </Svg>
  );
}
