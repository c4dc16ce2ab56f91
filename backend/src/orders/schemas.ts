import { z } from 'zod';
import { toIso } from '../http/iso';
import '../http/openapi';
import { UserRefSchema } from '../users/schemas';
import { cardDigits, luhnValid } from './card';
import type { OrderEventRecord, OrderFind, OrderRecord, OrderSort } from './repository';

const code = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(32, `${label} must be at most 32 characters`)
    .regex(/^[A-Za-z0-9-]+$/, `${label} may contain only letters, digits and dashes`);

const isoDate = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date (YYYY-MM-DD)`)
    .refine((d) => {
      const parsed = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
    }, `${label} is not a real date`);

/** The latest calendar date anywhere on Earth right now (UTC+14), so no user's "today" is refused. */
export const latestToday = (now: number) =>
  new Date(now + 14 * 3600 * 1000).toISOString().slice(0, 10);

export const CreateOrderBody = (now: () => number) =>
  z
    .object({
      storeCode: code('Store code'),
      productCode: code('Product code'),
      quantity: z
        .number({ error: 'Quantity must be a number' })
        .int('Quantity must be a whole number')
        .min(1, 'Quantity must be at least 1')
        .max(1000, 'Quantity must be at most 1000'),
      cardNumber: z
        .string({ error: 'Card number is required' })
        .min(1, 'Card number is required')
        .max(40, 'Card number is too long')
        .refine(
          (c) => /^[\d\s-]+$/.test(c),
          'Card number may contain only digits, spaces and dashes',
        )
        .refine((c) => {
          const n = cardDigits(c).length;
          return n >= 12 && n <= 19;
        }, 'Card number must have 12 to 19 digits')
        .refine((c) => luhnValid(cardDigits(c)), 'Card number is not valid (check the digits)'),
      orderDate: isoDate('Order date').refine(
        (d) => d <= latestToday(now()),
        'Order date cannot be in the future',
      ),
      shippingDate: isoDate('Shipping date'),
    })
    .superRefine((o, ctx) => {
      if (o.shippingDate < o.orderDate) {
        ctx.addIssue({
          code: 'custom',
          path: ['shippingDate'],
          message: 'Shipping date must be on or after the order date',
        });
      }
    })
    .openapi('CreateOrder');

export const ORDER_STATES = ['placed', 'shipped', 'delivered', 'cancelled'] as const;
export const OrderStateSchema = z.enum(ORDER_STATES);

export const OrderSchema = z
  .object({
    id: z.uuid(),
    user: UserRefSchema.nullable(),
    cardBrand: z.string(),
    cardLast4: z.string(),
    storeCode: z.string(),
    productCode: z.string(),
    quantity: z.number().int(),
    orderDate: z.string(),
    shippingDate: z.string(),
    state: OrderStateSchema,
    /** The day it actually shipped; null until then. */
    shippedOn: z.string().nullable(),
    /** Counts the order's changes; a change names the version it was made on. */
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Order');

/** A form's empty field means "no filter", as an absent one does. */
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const filterCode = (label: string) =>
  z.preprocess(
    blankIsAbsent,
    z
      .string()
      .trim()
      .max(32, `${label} must be at most 32 characters`)
      .regex(/^[A-Za-z0-9-]+$/, `${label} may contain only letters, digits and dashes`)
      .optional(),
  );
const filterDate = (label: string) => z.preprocess(blankIsAbsent, isoDate(label).optional());

export const SHIPPING_FILTERS = ['not_shipped', 'shipped', 'overdue'] as const;
export const SORT_KEYS = ['orderDate', 'shippingDate'] as const;

/** The filters the list and the export share. */
const filterFields = {
  storeCode: filterCode('Store code'),
  productCode: filterCode('Product code'),
  userId: z.preprocess(
    blankIsAbsent,
    z.coerce
      .number({ error: 'User must be a user id' })
      .int('User must be a user id')
      .min(1, 'User must be a user id')
      .max(4_294_967_295, 'User must be a user id')
      .optional(),
  ),
  from: filterDate('From date'),
  to: filterDate('To date'),
  shipping: z.preprocess(
    blankIsAbsent,
    z
      .enum(SHIPPING_FILTERS, { error: 'Shipping must be not_shipped, shipped or overdue' })
      .optional(),
  ),
  sort: z.preprocess(
    blankIsAbsent,
    z.enum(SORT_KEYS, { error: 'Sort must be orderDate or shippingDate' }).optional(),
  ),
  dir: z.preprocess(
    blankIsAbsent,
    z.enum(['asc', 'desc'], { error: 'Direction must be asc or desc' }).optional(),
  ),
};

interface FoundQuery {
  storeCode?: string | undefined;
  productCode?: string | undefined;
  userId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  shipping?: string | undefined;
  sort?: string | undefined;
  dir?: string | undefined;
  cursor?: string | undefined;
}

/** Any filter or sort, or a keyset cursor, reads the list through its indexes. */
const isFound = (q: FoundQuery) =>
  q.storeCode !== undefined ||
  q.productCode !== undefined ||
  q.userId !== undefined ||
  q.from !== undefined ||
  q.to !== undefined ||
  q.shipping !== undefined ||
  q.sort !== undefined ||
  q.dir !== undefined ||
  (q.cursor?.includes('.') ?? false);

const checkRange = (q: FoundQuery, ctx: z.RefinementCtx) => {
  if (q.from !== undefined && q.to !== undefined && q.to < q.from)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'To date must be on or after the from date',
    });
};

/** The newest-first list's numeric cursor, or a filtered list's `<date>.<position>`. */
const CURSOR = /^(?:(\d{4}-\d{2}-\d{2})\.)?([1-9][0-9]{0,15})$/;

export const OrdersQuery = z
  .object({
    page: z.coerce.number().int('page must be a whole number').min(1).max(1_000_000_000).optional(),
    pageSize: z.coerce.number().int('pageSize must be a whole number').min(1).max(100).default(25),
    cursor: z.string().regex(CURSOR, 'cursor must come from a previous page').optional(),
    ...filterFields,
  })
  .superRefine((q, ctx) => {
    checkRange(q, ctx);
    if (q.page !== undefined && q.cursor !== undefined)
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'Use page or cursor, not both' });
    const found = isFound(q);
    if (found && q.page !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['page'],
        message: 'A filtered or sorted list is paged with its cursor',
      });
    if (q.cursor !== undefined && found !== q.cursor.includes('.'))
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'cursor must come from a previous page',
      });
  })
  .transform((q) => {
    const { page, pageSize, cursor, sort, dir, ...filter } = q;
    const match = cursor === undefined ? null : CURSOR.exec(cursor);
    const find: OrderFind | undefined = isFound(q)
      ? {
          filter,
          sort: { key: sort ?? 'orderDate', dir: dir ?? 'desc' },
          after: match?.[1] ? { date: match[1], seq: Number(match[2]) } : undefined,
        }
      : undefined;
    return {
      page,
      pageSize,
      cursor: match && match[1] === undefined ? Number(match[2]) : undefined,
      find,
    };
  });

/** The list's filters and sort, for the export, which has no pages. */
export const ExportQuery = z
  .object(filterFields)
  .superRefine(checkRange)
  .transform(({ sort, dir, ...filter }) => ({
    filter,
    sort: { key: sort ?? 'orderDate', dir: dir ?? 'desc' } as OrderSort,
  }));

/** Move an order: the state it goes to, the day it shipped (for shipped), and the version seen. */
export const MoveOrderBody = (now: () => number) =>
  z
    .object({
      state: z.enum(['shipped', 'delivered', 'cancelled'], {
        error: 'State must be shipped, delivered or cancelled',
      }),
      shippedOn: isoDate('Shipped on')
        .refine((d) => d <= latestToday(now()), 'Shipped on cannot be in the future')
        .optional(),
      version: z
        .number({ error: 'Version is required (the version of the order you saw)' })
        .int('Version must be a whole number')
        .min(1, 'Version must be at least 1'),
    })
    .superRefine((b, ctx) => {
      if (b.state === 'shipped' && b.shippedOn === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['shippedOn'],
          message: 'Shipped on is required when an order ships',
        });
      if (b.state !== 'shipped' && b.shippedOn !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['shippedOn'],
          message: 'Shipped on is given only when an order ships',
        });
    })
    .openapi('MoveOrder');

export const OrderEventSchema = z
  .object({
    id: z.number().int(),
    user: UserRefSchema.nullable(),
    from: OrderStateSchema,
    to: OrderStateSchema,
    shippedOn: z.string().nullable(),
    /** The order's version this change made. */
    version: z.number().int(),
    at: z.string(),
  })
  .openapi('OrderEvent');

export const OrderHistorySchema = z
  .object({ items: z.array(OrderEventSchema) })
  .openapi('OrderHistory');

export const OrderIdParam = z.object({ id: z.uuid('Order id must be a UUID') });

export const OrderPageSchema = z
  .object({
    items: z.array(OrderSchema),
    page: z.number().int().optional(),
    pageSize: z.number().int(),
    total: z.number().int().optional(),
    /** false when `total` is a bound: the filter matches more than that many orders. */
    totalExact: z.boolean().optional(),
    totalPages: z.number().int().optional(),
    nextCursor: z.string().nullable(),
  })
  .openapi('OrderPage');

export const toOrderDto = (o: OrderRecord) => ({
  id: o.id,
  user: o.user,
  cardBrand: o.cardBrand,
  cardLast4: o.cardLast4,
  storeCode: o.storeCode,
  productCode: o.productCode,
  quantity: o.quantity,
  orderDate: o.orderDate,
  shippingDate: o.shippingDate,
  state: o.state,
  shippedOn: o.shippedOn,
  version: o.version,
  createdAt: toIso(o.createdAt),
});

export const toEventDto = (e: OrderEventRecord) => ({
  id: e.id,
  user: e.user,
  from: e.from,
  to: e.to,
  shippedOn: e.shippedOn,
  version: e.version,
  at: toIso(e.at),
});
