import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, type DuckDBDataChunk, DuckDBInstance, type JS } from '@duckdb/node-api';
import { fail } from '../../errors.js';

const FN = 'losslab shift';

export interface DatabaseOptions {
  /** A DuckDB database file, or ':memory:' (default). */
  readonly path?: string;
  /** Worker threads (default: every core). */
  readonly threads?: number;
  /** DuckDB's own memory limit, e.g. '1GB' (default '1GB'): above it sorts and hash tables spill to `tempDirectory`. */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
}

/** One row of a query result, with DuckDB's values as JavaScript values (BIGINT → bigint). */
export type Row = Record<string, JS>;

/** Where a query's data come from, for messages: the argument (TRAIN, --train-sql, …) and its value. */
export interface Origin {
  readonly argument: string;
  readonly value: string;
}

/** A number from a count or a sum (DuckDB returns BIGINT/HUGEINT as bigint). */
export function toNumber(value: JS): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}

/** A DuckDB identifier in double quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal in single quotes. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The first line of DuckDB's error message (the rest repeats the query with a caret). */
function duckdbMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}

/**
 * DuckDB embedded in this process (npm `@duckdb/node-api`): one instance and one connection, with
 * a memory limit and a spill directory so sorts and hash tables larger than memory go to disk.
 * Every query names the command-line argument it serves, so a failure is one `LosslabError`
 * naming that argument and quoting DuckDB's message.
 */
export class ShiftDatabase {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DatabaseOptions = {}): Promise<ShiftDatabase> {
    const path = options.path ?? ':memory:';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        threads: String(options.threads ?? Math.max(1, cpus().length)),
        memory_limit: options.memoryLimit ?? '1GB',
        // One spill directory per process: concurrent instances must not share DuckDB's temporary files.
        temp_directory: options.tempDirectory ?? join(tmpdir(), `losslab-duckdb-${process.pid}`),
      });
    } catch (error) {
      fail({ fn: FN, argument: '--db', value: JSON.stringify(path), rule: `DuckDB could not open it: ${duckdbMessage(error)}` });
    }
    return new ShiftDatabase(instance, await instance.connect());
  }

  /** Runs a query and returns all its rows; `origin` names the option or file the query reads. */
  async rows(sql: string, origin: Origin): Promise<Row[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS();
    } catch (error) {
      return this.failed(error, origin);
    }
  }

  /** Streams a query's result chunk by chunk (constant memory on this side). */
  async *chunks(sql: string, origin: Origin): AsyncGenerator<DuckDBDataChunk> {
    let result: Awaited<ReturnType<DuckDBConnection['stream']>>;
    try {
      result = await this.connection.stream(sql);
    } catch (error) {
      return this.failed(error, origin);
    }
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      try {
        chunk = await result.fetchChunk();
      } catch (error) {
        return this.failed(error, origin);
      }
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk;
    }
  }

  /** DuckDB's progress through the running query (0–100, or −1 when unknown). */
  get progress(): number {
    return this.connection.progress.percentage;
  }

  /** Stops the running query (Ctrl-C). */
  interrupt(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private failed(error: unknown, origin: Origin): never {
    if (error instanceof Error && error.name === 'LosslabError') throw error;
    return fail({ fn: FN, argument: origin.argument, value: origin.value, rule: `DuckDB could not read it: ${duckdbMessage(error)}` });
  }
}
