/**
 * Download a file from a signed-in route: the bearer token goes in the header (no route reads a cookie), the
 * answer becomes a Blob and a temporary link saves it under the server's file name. Resolves with null on
 * success, else the server's error message.
 */
export async function downloadWithToken(
  path: string,
  token: string | null,
  fallbackName: string,
): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (!res.ok) {
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      return body.error?.message ?? `HTTP ${res.status}`;
    } catch {
      return `HTTP ${res.status}`;
    }
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}
