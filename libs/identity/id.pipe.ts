import { Injectable, type PipeTransform } from '@nestjs/common';
import { isId } from '../core/index.js';
import { badRequest } from '../ops/http-errors.js';

/** Path ids are UUIDs: anything else is a 400 before any lookup. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isId(value)) throw badRequest('id must be a UUID');
    return value;
  }
}
