/**
 * The legal references a text prints, normalised as the records spell them: "R2122-8",
 * "L2112-2-1", "Loi n° 2015-136", "Décret n° 2024-134", "Règlement (UE) 2016/679". A reference
 * broken over two lines by the layout ("R2111- 12") is joined back.
 */
export function legalReferences(text: string): string[] {
  const joined = text.replace(/\u00a0|\u202f/g, ' ').replace(/\b([LRD]\d{4})-\s+(\d)/g, '$1-$2');
  const found = new Set<string>();
  for (const m of joined.matchAll(/\b([LRD])\s?(\d{4}-\d{1,3}(?:-\d{1,2})?)(?![\d/])/g)) found.add(`${m[1]}${m[2]}`);
  for (const m of joined.matchAll(/\b(loi|décret|ordonnance) n°\s?(\d{4}-\d{1,5})/gi)) {
    found.add(`${m[1]!.charAt(0).toUpperCase()}${m[1]!.slice(1).toLowerCase()} n° ${m[2]}`);
  }
  for (const m of joined.matchAll(/\bRèglement (délégué )?\(UE\) (?:n° ?)?(\d{4}\/\d{1,5})/g)) found.add(`Règlement ${m[1] ?? ''}(UE) ${m[2]}`);
  return [...found].sort();
}
