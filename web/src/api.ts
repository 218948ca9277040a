import { decodeFlame, type FlameHeader } from './flame/wire.js';
import { layoutTree, type Tree } from './flame/tree.js';

/** GET /api/session (src/server/api.ts SessionInfo). */
export interface Session {
  title: string;
  views: string[];
  start: string;
  profiles: { name: string; kind: string; diff: boolean; sampleTypes: { type: string; unit: string }[]; sampleIndex: number }[];
  gcLogs: string[];
  traces: string[];
  goroutines: string[];
  notes: string[];
}

/** A failed API call, with the server's one-line reason. */
export class ApiError extends Error {}

async function get(path: string, params?: Record<string, string | string[] | undefined>): Promise<Response> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else if (v !== undefined && v !== '') q.set(k, v);
  }
  const res = await fetch(`/api/${path}${q.size ? `?${q}` : ''}`);
  if (!res.ok) {
    const body = await res.text();
    let message = body;
    try {
      message = (JSON.parse(body) as { error: string }).error;
    } catch {
      // A plain-text refusal.
    }
    throw new ApiError(message.trim());
  }
  return res;
}

export async function getJson<T>(path: string, params?: Record<string, string | string[] | undefined>): Promise<T> {
  return (await (await get(path, params)).json()) as T;
}

export interface FlameQuery {
  p: string;
  si?: string;
  focus?: string;
  ignore?: string;
  hide?: string;
}

export async function getFlame(query: FlameQuery): Promise<{ header: FlameHeader; tree: Tree }> {
  const buffer = await (await get('flame', { ...query })).arrayBuffer();
  const { header, data } = decodeFlame(buffer);
  return { header, tree: layoutTree(data) };
}
