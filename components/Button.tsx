import type { ButtonHTMLAttributes } from 'react';

export function Button({ variant = 'primary', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' }) {
  const look =
    variant === 'primary'
      ? 'submitButton-customizable bg-brand text-brand-ink border-brand'
      : 'foyer-secondary-button bg-surface text-ink border-line';
  return (
    <button
      {...props}
      className={`w-full border-2 rounded-theme px-4 py-2.5 font-semibold disabled:opacity-60 ${look} ${className}`}
    />
  );
}
