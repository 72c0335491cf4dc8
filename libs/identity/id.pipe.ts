import { Injectable, type PipeTransform } from '@nestjs/common';
import { isId, InvalidInputError } from '../core/index.js';

/** Path ids are UUIDs: anything else is a 400 before any lookup. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isId(value)) throw new InvalidInputError('id must be a UUID');
    return value;
  }
}
