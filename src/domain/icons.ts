/**
 * The benefit icons a concept file may name, and their drawings. Emoji showed as empty
 * boxes on systems without an emoji font; these are inline SVG, so they render wherever
 * the page does, with no request and no font. Each is one stroked path on a 24 × 24 grid,
 * drawn in the text colour (the component sets stroke="currentColor"); the concept schema
 * accepts exactly these names.
 */
export const ICONS = {
  book: "M12 6.5C10.5 5.2 8 4.5 4 4.5V18c4 0 6.5.7 8 2 1.5-1.3 4-2 8-2V4.5c-4 0-6.5.7-8 2zM12 6.5V20",
  box: "M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5 8-4.5M12 12v9M8 5.25l8 4.5",
  brush: "M20 4l-7.5 7.5M10 10l4 4M10 10c-2.5 0-4.5 1.5-4.5 4.5 0 2-.5 3.5-1.5 5.5 3.5 0 6-.5 7.5-2s2-3 2.5-4",
  calendar: "M4 7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2zM4 10h16M8 3v4M16 3v4M8 14h3",
  chart: "M4 4v16h16M7.5 15.5l4-4.5 3 3L19 8.5M15.5 8.5H19V12",
  chat: "M6 5h12a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-7l-5 4v-4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zM8.5 10.5h7",
  check: "M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18zM8 12.5l2.8 2.8 5.2-5.8",
  clock: "M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18zM12 7v5l3.5 2",
  code: "M4 6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2zM8 9.5l3 2.5-3 2.5M13 15h3",
  frame:
    "M4 6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2zM4 16l4.5-4.5 4 4 2.5-2.5L20 18M14.5 8.5a1.5 1.5 0 1 0 3 0 1.5 1.5 0 1 0-3 0",
  gift: "M4 9h16v3H4zM5.5 12v8h13v-8M12 9v11M12 9c-2 0-4.5-.8-4.5-2.8a1.8 1.8 0 0 1 3.1-1.3C11.5 5.8 12 7.5 12 9zM12 9c2 0 4.5-.8 4.5-2.8a1.8 1.8 0 0 0-3.1-1.3C12.5 5.8 12 7.5 12 9z",
  heart: "M12 20s-8-4.7-8-10.2A4.3 4.3 0 0 1 12 7.6a4.3 4.3 0 0 1 8 2.2C20 15.3 12 20 12 20z",
  leaf: "M5 19C5 11 10 5 19.5 4.5 19 14 13 19 5 19zM5 19l8.5-8.5",
  mail: "M4 7a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1zM4.5 7l7.5 6 7.5-6",
  map: "M3.5 6.5l5.5-2 6 2 5.5-2v13l-5.5 2-6-2-5.5 2zM9 4.5v13M15 6.5v13",
  palette:
    "M12 3a9 9 0 0 0 0 18c1.2 0 2-.8 2-1.8 0-1.3-1-1.7-1-2.9 0-1 .8-1.8 1.8-1.8H17a4 4 0 0 0 4-4C21 6.4 17 3 12 3zM7.5 12h.01M9.5 7.5h.01M14.5 7.5h.01M17 11h.01",
  paper: "M5 4h9.5L19 8.5V20H5zM14.5 4v4.5H19M8.5 16.5l7-7",
  pen: "M15.5 4.5l4 4L8.5 19.5 4 20l.5-4.5zM13.5 6.5l4 4",
  people:
    "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 1 0 0 7zM2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.3a3.5 3.5 0 0 1 0 6.4M18 14.3c2.1.8 3.5 2.9 3.5 5.7",
  scissors:
    "M3.5 6a2.5 2.5 0 1 0 5 0 2.5 2.5 0 1 0-5 0zM3.5 18a2.5 2.5 0 1 0 5 0 2.5 2.5 0 1 0-5 0zM8.1 7.6L20 19M8.1 16.4L20 5",
  spark: "M11 3c.6 4.6 2.4 6.4 7 7-4.6.6-6.4 2.4-7 7-.6-4.6-2.4-6.4-7-7 4.6-.6 6.4-2.4 7-7zM18.5 15.5v5M16 18h5",
  star: "M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z",
  vase: "M9 3h6M10 3v3.5C7 8.5 5.5 11 5.5 14c0 2.6 1.2 4.9 3 6.5h7c1.8-1.6 3-3.9 3-6.5 0-3-1.5-5.5-4.5-7.5V3M6 13h12",
  video: "M3.5 8a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8a2 2 0 0 1-2-2zM15.5 10.5l5-3v9l-5-3",
} as const;

export type IconName = keyof typeof ICONS;

export const ICON_NAMES = Object.keys(ICONS) as [IconName, ...IconName[]];
