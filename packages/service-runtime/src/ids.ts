import { v7 } from 'uuid';

/** Time-sortable ids (UUIDv7): pagination orders by id. */
export const newId = (): string => v7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from clients: anything that is not a UUID cannot name a row (and must not reach SQL as one). */
export const isId = (value: string): boolean => UUID.test(value);
