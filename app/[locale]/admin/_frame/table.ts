/** A cell of a console table (list screens, logs, overview): one look everywhere. */
export const cell = 'px-3 py-2 border-b border-line text-start';
