/**
 * submit_sm encoded straight into one buffer. The `smpp` package builds a PDU object with
 * every parameter of the command, runs its filters over all its keys and measures each field
 * twice before writing (about 10 µs per PDU here); a submit is sent once per SMS part, so the
 * gateway encodes its own. The bytes are the package's (tested against it), and the object
 * has what `Session.send` uses: `isResponse()`, `sequence_number` (set by the session) and
 * `toBuffer()`.
 */
export interface SubmitSmParameters {
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  registered_delivery: number;
  data_coding: number;
  /** The part's payload, UDH included; at most 254 bytes. */
  short_message: Buffer;
}

const SUBMIT_SM = 0x00000004;
const HEADER_BYTES = 16;

export class SubmitSm {
  readonly command = 'submit_sm';
  readonly command_id = SUBMIT_SM;
  readonly command_status = 0;
  sequence_number = 0;

  constructor(readonly parameters: SubmitSmParameters) {
    if (parameters.short_message.length > 254)
      throw new RangeError('short_message is limited to 254 bytes');
  }

  isResponse(): boolean {
    return false;
  }

  toBuffer(): Buffer {
    const p = this.parameters;
    // service_type "" + 2 ton/npi + source\0 + 2 ton/npi + destination\0 + esm_class,
    // protocol_id, priority_flag + schedule "" + validity "" + registered_delivery,
    // replace_if_present_flag, data_coding, sm_default_msg_id, sm_length + message.
    const length =
      HEADER_BYTES +
      1 +
      2 +
      p.source_addr.length +
      1 +
      2 +
      p.destination_addr.length +
      1 +
      3 +
      2 +
      5 +
      p.short_message.length;
    const out = Buffer.allocUnsafe(length);
    out.writeUInt32BE(length, 0);
    out.writeUInt32BE(SUBMIT_SM, 4);
    out.writeUInt32BE(0, 8);
    out.writeUInt32BE(this.sequence_number, 12);
    let at = HEADER_BYTES;
    out[at++] = 0; // service_type: SMSC default
    out[at++] = p.source_addr_ton;
    out[at++] = p.source_addr_npi;
    at += out.write(p.source_addr, at, 'latin1');
    out[at++] = 0;
    out[at++] = p.dest_addr_ton;
    out[at++] = p.dest_addr_npi;
    at += out.write(p.destination_addr, at, 'latin1');
    out[at++] = 0;
    out[at++] = p.esm_class;
    out[at++] = 0; // protocol_id
    out[at++] = 0; // priority_flag
    out[at++] = 0; // schedule_delivery_time: immediate
    out[at++] = 0; // validity_period: SMSC default
    out[at++] = p.registered_delivery;
    out[at++] = 0; // replace_if_present_flag
    out[at++] = p.data_coding;
    out[at++] = 0; // sm_default_msg_id
    out[at++] = p.short_message.length;
    p.short_message.copy(out, at);
    return out;
  }
}
