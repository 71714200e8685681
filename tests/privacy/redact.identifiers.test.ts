import { redact, redactText } from '../../src/privacy/redact';

/** Addresses, foreign phone numbers, links, handles, documents, plates and accounts. */

describe('addresses', () => {
  it.each([
    ['a street with a glued ending, house letter, postcode and place', 'Jeg bor i Storgata 12B, 0155 Oslo nå', 'Jeg bor i <ADDRESS> nå'],
    ['a -veien address', 'Adressen er Fjellveien 3 i Bergen', 'Adressen er <ADDRESS> i Bergen'],
    ['a street whose ending is its own word, with the name before it', 'vi bor i Kong Oscars gate 5, 3. etasje', 'vi bor i <ADDRESS>, 3. etasje'],
    ['a separate "allé" with a diacritic', 'Vi flyttet til Bygdøy allé 3', 'Vi flyttet til <ADDRESS>'],
    ['a -bakken address with a glued letter', 'jeg bor på Sandviksbakken 2A med 3 barn', 'jeg bor på <ADDRESS> med 3 barn'],
    ['a nynorsk -vegen address', 'eg bur i Skulevegen 14, 6800 Førde', 'eg bur i <ADDRESS>'],
    ['a house letter after a space', 'bor i Lillehammergata 3 b', 'bor i <ADDRESS>'],
    ['a postcode and place alone', 'postnummer 5003 Bergen', 'postnummer <ADDRESS>'],
    ['a lower-case place after a postcode starting with 0', 'sendt til 0155 oslo', 'sendt til <ADDRESS>'],
    ['an address announced by a word, whatever its ending', 'adressen min er Grønlandsleiret 44', 'adressen min er <ADDRESS>'],
    ['a Polish street after "ul."', 'mieszkałam na ul. Długa 5 w Gdańsku', 'mieszkałam na <ADDRESS> w Gdańsku'],
    ['a Lithuanian street with "g."', 'gyvenau Vilniaus g. 12 Kaune', 'gyvenau <ADDRESS> Kaune'],
    ['a Russian street after "ул."', 'жила на ул. Ленина 15 раньше', 'жила на <ADDRESS> раньше'],
  ])('replaces %s', (_what, typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it.each([
    'Jeg bor i Bergen og Bergen kommune hjalp oss',
    'NAV Grünerløkka og Husbanken svarte ikke',
    'kontoret i Storgata var stengt',
    'Jeg bodde i Storgata 5 år',
    'jeg fikk barnehageplass 2 km unna',
    'Vi fikk plass på hospits 2 ganger',
    'Vi kom fra Somalia 2010',
    'i 2023 Bergen kommune sa nei',
    'Jeg betalte 8500 Kroner',
    'adressen min er hemmelig',
    'I live at my cousins place 3 nights a week',
  ])('keeps "%s"', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('phone numbers in their own country format (libphonenumber-js)', () => {
  it.each([
    ['Polish', 'mój numer 601 234 567'],
    ['Polish with hyphens', 'tel 601-234-567'],
    ['Swedish', 'Min svenska nummer är 0790 123 456'],
    ['Swedish, usual grouping', 'ring 070-123 45 67'],
    ['Lithuanian with the trunk 8', 'mano telefonas 8 612 34567'],
    ['Ukrainian', 'мій номер 067 123 4567'],
    ['Russian with the trunk 8', 'мой телефон 8 916 123-45-67'],
    ['Somali', 'lambarkaygu waa 061 234 5678'],
    ['Eritrean', 'ቁጽሪ ስልከይ 07 123 456'],
    ['Ethiopian', 'phone 091 123 4567'],
    ['Afghan', 'نمبر من 070 123 4567'],
    ['Iranian', 'شماره من 0912 345 6789'],
    ['Pakistani', 'میرا نمبر 0300 1234567'],
    ['Iraqi', 'رقمي 0770 123 4567'],
    ['Syrian, in Arabic-Indic digits', 'رقم هاتفي ٠٩٤٤ ١٢٣ ٤٥٦'],
    ['Thai', 'เบอร์โทร 081 234 5678'],
    ['British', 'my uk number 07911 123456'],
    ['Kenyan', 'lambarka 0712 345678'],
  ])('replaces a %s number', (_country, text) => {
    const out = redactText(text);
    expect(out.text).toMatch(/<PHONE>$/);
    expect(out.kinds.phone).toBe(1);
  });

  it('cuts a prefixed number where its numbering plan ends, keeping the count after it', () => {
    expect(redact('+48 601 234 567 2 dzieci')).toBe('<PHONE> 2 dzieci');
  });

  it('replaces a number that no plan knows when a phone word announces it', () => {
    expect(redact('telefon: 123 45 678 9')).toBe('telefon: <PHONE>');
  });

  it.each([
    'Boligen kostet 2 500 000 kroner',
    'Lånet ble 2 345 678',
    'jeg har 1 234 567 i gjeld',
    'kr 12.500.000 for et hus',
    'fikk 3000,- i støtte',
    'vi betalte 150 000 i 2021 og 350 000 i 2022',
    'Vedtak 15.03.2024 kl 14.30',
    'fra 2019 2020 2021 på hospits',
    'det var kl 08.00-16.00 hver dag',
    'czynsz 601 234 567 zł',
    'الإيجار ١٢٠٠٠ كرونة منذ ٢٠٢٣',
  ])('keeps the amount, date or year in "%s"', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('links and handles', () => {
  it.each([
    ['a Facebook profile without a scheme', 'se facebook.com/kari.nordmann.', 'se <URL>.'],
    ['a LinkedIn profile', 'cv: https://www.linkedin.com/in/amina-yusuf-123', 'cv: <URL>'],
    ['an Instagram profile', 'min profil instagram.com/helen.g22', 'min profil <URL>'],
    ['a link with a query', 'https://example.org?id=123 se her', '<URL> se her'],
    ['a TikTok handle', 'følg meg på tiktok @leyla.ahmadi', 'følg meg på tiktok <HANDLE>'],
    ['a user name after a network and a colon, keeping the network', 'snap: helen_g22', 'snap: <HANDLE>'],
  ])('replaces %s', (_what, typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it.each(['Jeg fant skjemaet på nav.no', 'se https://www.husbanken.no/ for mer', 'f.eks. bostøtte, m.fl.'])(
    'keeps the bare domain or abbreviation in "%s"',
    (text) => {
      expect(redact(text)).toBe(text);
    },
  );

  it('keeps an e-mail address whole as <EMAIL>, not as a handle', () => {
    expect(redact('skriv til kari@nav.no')).toBe('skriv til <EMAIL>');
  });
});

describe('documents, plates and accounts', () => {
  it.each([
    ['a Norwegian car plate', 'bilen har skilt EL 12345', 'bilen har skilt <PLATE>'],
    ['a plate typed in lower case without a space', 'bilen min el12345', 'bilen min <PLATE>'],
    ['a passport number of two letters and seven digits', 'pass FD1234567', 'pass <DOCUMENT>'],
    ['a Polish ID card', 'dowód ABC123456', 'dowód <DOCUMENT>'],
    ['a Ukrainian passport in Cyrillic', 'паспорт МК 123456', 'паспорт <DOCUMENT>'],
    ['a residence card number after its word', 'oppholdskort nr RA123456', 'oppholdskort nr <DOCUMENT>'],
    ['a DUF number after its word', 'DUF-nummer 2019 123456 01', 'DUF-nummer <DOCUMENT>'],
    ['a number announced as a passport number after "is"', 'my passport number is 12345678', 'my passport number is <DOCUMENT>'],
    ['a bank account grouped 4.2.5', 'kontonummer 1503.12.34562', 'kontonummer <ACCOUNT>'],
    ['a bank account with a valid check in one run', 'konto 12545566778', 'konto <ACCOUNT>'],
    ['a Norwegian IBAN', 'IBAN NO93 8601 1117 947', 'IBAN <ACCOUNT>'],
    ['a Polish account (NRB)', 'konto 61 1090 1014 0000 0712 1981 2874', 'konto <ACCOUNT>'],
    ['a Lithuanian personal code', 'asmens kodas 38503121236', 'asmens kodas <ID>'],
    ['a Thai ID as printed on the card', 'บัตรประชาชน 1-1037-00123-45-8', 'บัตรประชาชน <ID>'],
  ])('replaces %s', (_what, typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it.each(['Jeg er 45 år', 'NOK 120000 i gjeld', 'kl 1400 på NAV', 'i år 2023 og EU 2020', 'leiligheten er 45 m2', 'Kontonummeret står på brevet'])(
    'keeps "%s"',
    (text) => {
      expect(redact(text)).toBe(text);
    },
  );
});
