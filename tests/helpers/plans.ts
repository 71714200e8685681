/**
 * A whole bokmål survey as a respondent types it (step key → input): yes to needing help, two
 * areas with follow-ups, born abroad, and free text with a phone number that must be redacted.
 */
export const NB_PLAN: Record<string, string> = {
  needed_help: 'ja',
  situation: 'leier privat',
  help_areas: '3, 6',
  'help_got[rent_arrears]': 'delvis',
  'who_helped[rent_arrears]': 'nav',
  'help_got[housing_allowance]': '1',
  'who_helped[housing_allowance]': '2',
  info_language: 'ja',
  interpreter: '3',
  understood_letters: '4',
  respect: '5',
  barriers: '4',
  children: 'ja',
  background: '2',
  years_in_norway: '7',
  age_band: '2',
  municipality: 'Trondheim',
  what_helped: 'Ring meg på 912 34 567 eller skriv til ola@example.no',
};
