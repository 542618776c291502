/** A row the caller named does not exist; the API turns it into a 404. */
export class RecordNotFoundError extends Error {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} not found`);
    this.name = 'RecordNotFoundError';
  }
}
