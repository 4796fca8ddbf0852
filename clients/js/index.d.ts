// The public surface of parley-client (README.md), kept by hand: package.test.mjs checks
// that every export declared here exists in index.js, and ClientTypesTest compiles
// tests/src/test/types/usage.ts against it with tsc. An option may be given as undefined
// (for exactOptionalPropertyTypes): the client takes that as absent.

/** A frame from the server (docs/PROTOCOL.md): its `type` and its members. */
export interface Frame {
  type: string;
  [member: string]: unknown;
}

/** A stored frame of the room: message, edit, delete or react, each with the room's seq. */
export interface StoredFrame extends Frame {
  room: string;
  seq: number;
  user: string;
  ts: string;
  text?: string;
  ref?: number;
  reply_to?: number;
  emoji?: string;
  on?: boolean;
}

/** The stored frames by type, as their events carry them (docs/PROTOCOL.md). */
export interface MessageFrame extends StoredFrame {
  type: 'message';
  text: string;
}

export interface EditFrame extends StoredFrame {
  type: 'edit';
  ref: number;
  text: string;
}

export interface DeleteFrame extends StoredFrame {
  type: 'delete';
  ref: number;
}

export interface ReactFrame extends StoredFrame {
  type: 'react';
  ref: number;
  emoji: string;
  on: boolean;
}

export interface Welcome extends Frame {
  type: 'welcome';
  room: string;
  user: string;
  users: string[];
  history: StoredFrame[];
  recovered?: boolean;
  protocol?: string;
  read?: number;
  /** A large room's (docs/PROTOCOL.md, "Large rooms"): its users, this one included; `users` holds the first 100. */
  count?: number;
  /** A large room's: more names follow the first page in `users` (members() pages them). */
  users_more?: boolean;
}

/**
 * What a large room says instead of joined and left, at most once a second: the names that came
 * and went since its last one (each sorted, at most 50), how many changes no list names, and
 * the room's count.
 */
export interface PresenceFrame extends Frame {
  type: 'presence';
  room: string;
  count: number;
  joined: string[];
  left: string[];
  more: number;
  ts: string;
}

/** A page of the room's names, in code point order, as members() resolves with it. */
export interface MembersFrame extends Frame {
  type: 'members';
  room: string;
  users: string[];
  count: number;
  /** More names follow the last one in `users`. */
  more: boolean;
}

export type StateName = 'offline' | 'connecting' | 'joining' | 'online' | 'naming' | 'reconnecting' | 'refused'
  | 'suspended';

export declare const State: Readonly<{
  OFFLINE: 'offline'; CONNECTING: 'connecting'; JOINING: 'joining'; ONLINE: 'online'; NAMING: 'naming';
  RECONNECTING: 'reconnecting'; REFUSED: 'refused'; SUSPENDED: 'suspended';
}>;

export interface ClientOptions {
  /** The chat's URL: ws://host:8080/chat, or wss://host/parley/chat for the WAR. */
  url: string;
  /** The room; lobby by default. */
  room?: string | undefined;
  /** The name to ask for; not with a token. */
  user?: string | undefined;
  /** A signed token, or a function that returns a fresh one. */
  token?: string | (() => Promise<string>) | undefined;
  transport?: 'auto' | 'websocket' | 'http' | undefined;
  /** Implementations where the platform has none (Node 20: WebSocket). */
  WebSocket?: unknown;
  EventSource?: unknown;
  fetch?: typeof globalThis.fetch | undefined;
}

/** What a promise of the client rejects with, and what `error` events carry. */
export declare class ParleyError extends Error {
  constructor(code: string, message?: string);
  /** The protocol's code (too-long, forbidden, name-taken, …), or outbox-full, offline, busy, closed, refused. */
  readonly code: string;
}

export interface Stored {
  /** The seq the server gave; absent for a reaction that changed nothing. */
  seq?: number;
  /** The server had it already (a resend after a lost connection). */
  dup?: true;
}

/** What send, edit and delete resolve with: they always store, so seq is there. */
export interface Sent extends Stored {
  seq: number;
}

/** A direct message: to its recipient, and the sender's copy. */
export interface DirectFrame extends Frame {
  room: string;
  from: string;
  to: string;
  text: string;
  ts: string;
}

/** A room with members, as `rooms` lists it. */
export interface RoomEntry {
  room: string;
  count: number;
  last?: number;
  unread?: number;
}

export interface ClientEvents {
  message: MessageFrame;
  edit: EditFrame;
  delete: DeleteFrame;
  react: ReactFrame;
  read: Frame;
  joined: Frame;
  left: Frame;
  presence: PresenceFrame;
  typing: Frame;
  direct: DirectFrame;
  rooms: Frame;
  welcome: Welcome;
  state: { state: StateName; transport: 'websocket' | 'http' | null };
  error: ParleyError;
}

export declare const OUTBOX_LIMIT: number;
export declare const OUTBOX_CHARS: number;

export declare class ParleyClient {
  constructor(options: ClientOptions);
  readonly state: StateName;
  readonly transport: 'websocket' | 'http' | null;
  readonly room: string;
  readonly user: string;
  on<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): void;
  connect(): Promise<Welcome>;
  send(text: string, options?: { replyTo?: number | undefined; cid?: string | undefined }): Promise<Sent>;
  edit(seq: number, text: string): Promise<Sent>;
  delete(seq: number): Promise<Sent>;
  react(seq: number, emoji: string, on?: boolean): Promise<Stored>;
  markRead(seq: number): Promise<void>;
  history(options?: { before?: number | undefined; limit?: number | undefined }): Promise<StoredFrame[]>;
  typing(): boolean;
  direct(to: string, text: string): Promise<DirectFrame>;
  rooms(): Promise<RoomEntry[]>;
  /** A page of the room's names after `after` (from the first), at most limit (1..500, 100 by default). */
  members(options?: { after?: string | undefined; limit?: number | undefined }): Promise<MembersFrame>;
  close(): void;
}

/** The lower layers, as Parley's web page uses them. */
export declare class Connection {
  constructor(options: { dial: unknown; listener: unknown; identity?: unknown; clock?: unknown; random?: () => number;
    secrets?: unknown });
  state: StateName;
  room: string;
  name: string;
  transportKind: 'websocket' | 'http' | null;
  readonly online: boolean;
  join(name?: string): void;
  leave(): void;
  send(frame: Frame): boolean;
}
export declare class WebSocketTransport {
  constructor(options?: { WebSocket?: unknown });
}
export declare class HttpTransport {
  constructor(options?: { EventSource?: unknown; fetch?: typeof globalThis.fetch });
}
export declare class FallbackTransport {
  constructor(options: { mode?: 'auto' | 'websocket' | 'http'; websocket: () => unknown; http: () => unknown });
}
export declare class FetchEventSource {
  constructor(url: string, options?: { fetch?: typeof globalThis.fetch });
  addEventListener(type: string, listener: (event: { type: string; data?: string }) => void): void;
  close(): void;
}
export declare class Outbox {}
export declare function memorySecrets(): unknown;
export declare function newCid(): string;
export declare function parseFrame(data: string): Frame | null;
export declare function socketUrl(location: { protocol: string; host: string; pathname: string }, room: string): string;
export declare function streamUrl(location: { pathname: string }, room: string): string;
export declare function transportMode(search: string): 'auto' | 'websocket' | 'http';
export declare function frameOf(item: unknown): Frame;
