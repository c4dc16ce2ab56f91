import { z } from 'zod';
import { toIso } from '../http/iso';
import '../http/openapi';
import { UserRefSchema } from '../users/schemas';
import { cardDigits, luhnValid } from './card';
import type { OrderRecord } from './repository';

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
    createdAt: z.string(),
  })
  .openapi('Order');

export const OrdersQuery = z
  .object({
    page: z.coerce.number().int('page must be a whole number').min(1).max(1_000_000_000).optional(),
    pageSize: z.coerce.number().int('pageSize must be a whole number').min(1).max(100).default(25),
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,15}$/, 'cursor must come from a previous page')
      .transform(Number)
      .optional(),
  })
  .refine((q) => q.page === undefined || q.cursor === undefined, {
    message: 'Use page or cursor, not both',
    path: ['cursor'],
  });

export const OrderIdParam = z.object({ id: z.uuid('Order id must be a UUID') });

export const OrderPageSchema = z
  .object({
    items: z.array(OrderSchema),
    page: z.number().int().optional(),
    pageSize: z.number().int(),
    total: z.number().int().optional(),
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
  createdAt: toIso(o.createdAt),
});
