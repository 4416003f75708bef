/** One authentication challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** Lower-cased scheme: 'bearer', 'basic', … */
  scheme: string;
  /** Parameters with lower-cased names: realm, service, scope, error, … */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses a `WWW-Authenticate` value into its challenges. One header may hold several
 * (`Bearer realm="…",scope="a:b:pull,push", Basic realm="…"`), and quoted values may contain commas.
 * A single left-to-right scan: linear in the length of the header.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  const readValue = (): string => {
    if (header[i] !== '"') return readToken();
    i++;
    let value = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote
    return value;
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const token = readToken();
    if (token === '') {
      i++; // not a token character: skip it rather than loop forever
      continue;
    }
    skipSpace();
    if (header[i] === '=' && current !== undefined) {
      // `name=value`, unless it is the `=` padding of a token68 (then the value is empty)
      i++;
      skipSpace();
      current.params[token.toLowerCase()] = readValue();
      continue;
    }
    if (header[i] === '=' && current === undefined) {
      i = start + token.length + 1; // a parameter before any scheme: ignore it
      readValue();
      continue;
    }
    current = { scheme: token.toLowerCase(), params: {} };
    challenges.push(current);
  }
  return challenges;
}

/** The challenge of a given scheme, if the header offers it. */
export function findChallenge(
  challenges: readonly Challenge[],
  scheme: 'bearer' | 'basic',
): Challenge | undefined {
  return challenges.find((c) => c.scheme === scheme);
}
