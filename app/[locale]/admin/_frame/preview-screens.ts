import type { OptionGroup } from '@/components/SelectOptions';
import { previewScreenGroups, type PreviewScreen, type PreviewScreenGroup } from '@/app/_lib/preview';
import type { ConsoleT } from '@/i18n/console';

/** A preview screen's name in the console's language (every screen has one: the catalogue is typed). */
export const previewScreenName = (t: ConsoleT, screen: PreviewScreen): string => t(`previewScreens.screens.${screen}`);

/** The preview chooser's choices: each screen by name (its id as the value), grouped by kind. */
export function previewScreenChoices(t: ConsoleT): OptionGroup[] {
  return (Object.entries(previewScreenGroups) as [PreviewScreenGroup, readonly PreviewScreen[]][]).map(([group, screens]) => ({
    label: t(`previewScreens.groups.${group}`),
    options: screens.map((s) => ({ value: s, label: previewScreenName(t, s) })),
  }));
}
