/**
 * The part of the `smpp` package (0.5, no published types) that Diwan uses. Field names are
 * those of the SMPP specification, as the package uses them.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A decoded PDU: header fields plus the command's parameters and TLVs by spec name. */
    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [parameter: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
    }

    /** What `Session.send` needs of a request: the session numbers it, then writes its bytes. */
    interface OutgoingPdu {
      sequence_number: number;
      isResponse(): boolean;
      toBuffer(): Buffer;
    }

    interface Session extends EventEmitter {
      socket: Socket;
      /** Returns false (and never calls back) when the socket is not writable. */
      send(
        pdu: PDU | OutgoingPdu,
        responseCallback?: (response: PDU) => void,
        sendCallback?: (pdu: PDU) => void,
      ): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      on(event: 'connect' | 'close', listener: () => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: string, listener: (pdu: PDU) => void): this;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    function connect(
      options: { url: string; auto_enquire_link_period?: number },
      listener?: () => void,
    ): Session;
    function createServer(sessionListener: (session: Session) => void): Server;
  }

  export = smpp;
}
