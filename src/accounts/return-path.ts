// Where to send the user after logging in: the page they asked for the link from,
// if it is a path on this site. Anything else would make the login an open redirect;
// an account address (the login page itself) would only show "invalid link".

export const MAX_RETURN_PATH_LENGTH = 2048;

// A leading slash and no "//" ("//host" is another site); printable ASCII only (a
// browser reads a backslash as a slash and drops tabs and newlines, so "/\host" and
// "/\t/host" both become "//host"; and a Location header must be ASCII).
const LOCAL_PATH = /^(?!.*\/\/)\/[\x21-\x5B\x5D-\x7E]*$/;

/** The path if it is local, else "/". */
export function returnPath(input: string | undefined): string {
  if (
    input === undefined ||
    input.length > MAX_RETURN_PATH_LENGTH ||
    !LOCAL_PATH.test(input) ||
    input.startsWith("/accounts/")
  ) {
    return "/";
  }
  return input;
}
