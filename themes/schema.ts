import { z } from 'zod';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
const palette = z
  .object({
    background: color,
    surface: color,
    text: color,
    muted: color,
    brand: color,
    brandText: color,
    border: color,
    danger: color,
    success: color,
  })
  .strict();

/** A theme is data: validated, then rendered as CSS custom properties that Tailwind reads. */
export const themeSchema = z
  .object({
    name: z.string().min(1).max(64),
    light: palette,
    dark: palette,
    font: z.enum(['noto-sans', 'system']).default('noto-sans'),
    radius: z.number().min(0).max(32).default(10),
    logoText: z.string().max(64).optional(),
  })
  .strict();
export type Theme = z.infer<typeof themeSchema>;
