import { z } from 'zod';
import './openapi';

/** Schemas every feature's routes share: a page of items, its query, a numeric id. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.number().int(),
      totalPages: z.number().int(),
    })
    .openapi(name);

export const PageQuery = (defaultSize: number) =>
  z.object({
    page: z.coerce.number().int('page must be a whole number').min(1).max(1_000_000_000).default(1),
    pageSize: z.coerce
      .number()
      .int('pageSize must be a whole number')
      .min(1)
      .max(100)
      .default(defaultSize),
  });

export const IdParam = z.object({
  id: z.coerce.number().int('id must be a whole number').min(1).max(2_147_483_647),
});
