// Domain errors: a use case throws them, a channel or the CLI turns them into
// one Vietnamese sentence at the edge. `message` is already that sentence.

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidDate extends DomainError {
  constructor(message: string) {
    super('invalid_date', message);
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class NotAllowed extends DomainError {
  constructor(message: string) {
    super('not_allowed', message);
  }
}

export class InvalidInput extends DomainError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}
