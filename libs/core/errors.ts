/**
 * Errors the domain raises; the HTTP layer maps each to its status.
 * Messages are written for API users: no internals.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, message);
  }
}

/** A backing service (Redis, MongoDB, disk) failed; details go to the log, not the client. */
export class UnavailableError extends DomainError {
  constructor(message = 'a backing service is unavailable, try again shortly') {
    super(503, message);
  }
}
