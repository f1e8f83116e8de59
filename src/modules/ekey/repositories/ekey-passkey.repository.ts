import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import { EkeyPasskey } from '../entities/ekey-passkey.entity.js';

/** Passkeys (WebAuthn credentials) of eKey holders. */
@Injectable()
export class EkeyPasskeyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  listOfAccount(accountId: string): Promise<EkeyPasskey[]> {
    return this.ds.manager.find(EkeyPasskey, {
      where: { accountId },
      order: { createdAt: 'ASC' },
    });
  }

  findByCredentialId(credentialId: string): Promise<EkeyPasskey | null> {
    return this.ds.manager.findOneBy(EkeyPasskey, { credentialId });
  }

  existsCredential(credentialId: string, tx: Tx): Promise<boolean> {
    return tx.manager.existsBy(EkeyPasskey, { credentialId });
  }

  /** Adds the passkey and counts it on the account (read at sign-in with the account row). */
  async insert(
    tx: Tx,
    row: Pick<
      EkeyPasskey,
      | 'accountId'
      | 'credentialId'
      | 'publicKey'
      | 'counter'
      | 'transports'
      | 'aaguid'
      | 'multiDevice'
      | 'name'
    >,
  ) {
    const saved = await tx.manager.save(tx.manager.create(EkeyPasskey, row));
    await tx.manager.query(
      'UPDATE ekey_account SET passkey_count = passkey_count + 1, updated_at = now() WHERE id = $1',
      [row.accountId],
    );
    return saved;
  }

  /** Removes one passkey of the account; false when it has no such passkey. */
  async remove(tx: Tx, accountId: string, id: string): Promise<EkeyPasskey | null> {
    const [rows] = await tx.manager.query<[{ id: string; name: string }[], number]>(
      'DELETE FROM ekey_passkey WHERE id = $1 AND account_id = $2 RETURNING id, name',
      [id, accountId],
    );
    if (!rows[0]) return null;
    await tx.manager.query(
      'UPDATE ekey_account SET passkey_count = passkey_count - 1, updated_at = now() WHERE id = $1',
      [accountId],
    );
    return rows[0] as EkeyPasskey;
  }

  /**
   * Moves the signature counter forward, atomically: of two requests replaying one
   * assertion, one wins. Authenticators without a counter report 0 every time.
   */
  async advanceCounter(id: string, counter: number, at: Date): Promise<boolean> {
    const [, n] = await this.ds.query<[unknown[], number]>(
      `UPDATE ekey_passkey SET counter = $2, last_used_at = $3
       WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0)) RETURNING id`,
      [id, counter, at],
    );
    return n === 1;
  }
}
