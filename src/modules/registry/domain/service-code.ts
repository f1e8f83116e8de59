/** Public service codes: the agency code, a dash, a number (`NPRA-0001`). */
const SERVICE_CODE = /^[A-Z][A-Z0-9]{1,15}-[0-9]{3,6}$/;

export function isServiceCode(code: string): boolean {
  return SERVICE_CODE.test(code);
}
