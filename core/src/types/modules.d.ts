// Type declarations for small dependencies that ship none.
declare module 'apache-md5' {
  /** Apache's APR1-MD5 crypt: `md5(password, salt)`; pass the stored hash as salt to verify. */
  export default function md5(password: string, salt?: string): string;
}
declare module 'unix-crypt-td-js' {
  /** Traditional DES crypt(3). */
  export default function crypt(password: string, salt: string): string;
}
