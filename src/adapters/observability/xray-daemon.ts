import { createSocket, type Socket } from 'node:dgram';

/**
 * Sends X-Ray segment documents to the X-Ray daemon, which in Lambda listens on the UDP address in
 * AWS_XRAY_DAEMON_ADDRESS and forwards them to the X-Ray API with the function's role. Written
 * from the public protocol (« Sending segment documents to the X-Ray daemon »): one datagram per
 * document, a JSON header line `{"format":"json","version":1}`, a newline, the document.
 *
 * Tracing must never cost a request: nothing here throws, a send is not awaited, and what could
 * not be sent is counted, not retried and not logged.
 */
export interface XRayDaemon {
  /** Queues one document; false if it was dropped at once (too large, socket refused it). */
  send(document: object): boolean;
  /** Documents the socket reports sent, and documents lost (too large, refused, or a send error reported later). */
  readonly stats: { sent: number; dropped: number };
}

export interface DaemonAddress {
  host: string;
  port: number;
}

/** The header line every datagram starts with. */
export const DAEMON_HEADER = '{"format":"json","version":1}\n';

/**
 * The daemon reads datagrams of at most 64 KiB (its buffer); a larger document would be cut and
 * rejected. 65 507 is also the largest UDP payload over IPv4.
 */
export const MAX_DATAGRAM_BYTES = 65_507;

/**
 * AWS_XRAY_DAEMON_ADDRESS: `host:port`, or the two-address form `tcp:host:port udp:host:port`
 * (only the UDP one is used: segments go over UDP, TCP is for sampling rules). Undefined when
 * absent or malformed: tracing is then off rather than a cold start failing over it.
 */
export function parseDaemonAddress(value: string | undefined): DaemonAddress | undefined {
  if (!value) return undefined;
  const parts = value.trim().split(/\s+/);
  const udp = parts.length === 1 ? parts[0]!.replace(/^udp:/, '') : parts.find((p) => p.startsWith('udp:'))?.slice('udp:'.length);
  const match = udp?.match(/^([A-Za-z0-9.-]+):(\d{1,5})$/);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 ? { host: match[1]!, port } : undefined;
}

/** The datagram for a document, or undefined if it would not fit in one. */
export function encodeDatagram(document: object): Buffer | undefined {
  const datagram = Buffer.from(DAEMON_HEADER + JSON.stringify(document), 'utf8');
  return datagram.length <= MAX_DATAGRAM_BYTES ? datagram : undefined;
}

/** The part of a dgram socket the daemon client uses; tests inject a failing one. */
export type DatagramSocket = Pick<Socket, 'send' | 'on' | 'unref'>;

/**
 * One socket for the process, created on the first document and unref'd so that it never keeps
 * a process alive (Lambda freezes it between invocations; a CLI or test simply exits).
 */
export function createXRayDaemon(address: DaemonAddress, openSocket: () => DatagramSocket = () => createSocket('udp4')): XRayDaemon {
  const stats = { sent: 0, dropped: 0 };
  let socket: DatagramSocket | undefined;
  const dropped = () => {
    stats.dropped++;
    return false;
  };
  return {
    stats,
    send(document) {
      try {
        const datagram = encodeDatagram(document);
        if (!datagram) return dropped();
        if (!socket) {
          socket = openSocket();
          socket.unref();
          // Without a listener an asynchronous socket error would be thrown in the process.
          socket.on('error', () => void stats.dropped++);
        }
        // Not awaited: the callback only counts a late failure (unresolvable host, send error).
        socket.send(datagram, address.port, address.host, (error) => void (error ? stats.dropped++ : stats.sent++));
        return true;
      } catch {
        return dropped();
      }
    },
  };
}
