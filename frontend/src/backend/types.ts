/** Shapes of the backend's API (its OpenAPI document is the source of truth). */
export type Role = 'admin' | 'member';

export interface User {
  id: number;
  name: string;
  surname: string;
  email: string;
  role: Role;
  createdAt: string;
}

/** A colleague as members see them; admins (and everyone for themselves) get the whole User. */
export interface UserRef {
  id: number;
  name: string;
  surname: string;
}

export type VisibleUser = User | UserRef;

export const isWholeUser = (user: VisibleUser): user is User => 'email' in user;

export interface UserRef {
  id: number;
  name: string;
  surname: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
  /** Signed in with a temporary password: it must be changed first. */
  passwordChangeRequired: boolean;
}

export interface Message {
  id: number;
  senderId: number;
  recipientId: number;
  body: string;
  createdAt: string;
}

export interface Conversation {
  peer: UserRef;
  lastMessage: Message;
}

export interface ConversationPage {
  peer: UserRef;
  items: Message[];
  nextCursor: string | null;
}

export interface Order {
  id: string;
  user: UserRef | null;
  cardBrand: string;
  cardLast4: string;
  storeCode: string;
  productCode: string;
  quantity: number;
  orderDate: string;
  shippingDate: string;
  state: OrderState;
  shippedOn: string | null;
  version: number;
  createdAt: string;
}

export type OrderState = 'placed' | 'shipped' | 'delivered' | 'cancelled';

/** The list's filters and sort, as the backend takes them; absent means not filtered. */
export interface OrderQuery {
  storeCode?: string;
  productCode?: string;
  userId?: string;
  from?: string;
  to?: string;
  shipping?: string;
  sort?: string;
  dir?: string;
}

/** A page of a filtered list: `total` on the first page only, a bound when not `totalExact`. */
export interface OrderFindPage {
  items: Order[];
  pageSize: number;
  total?: number;
  totalExact?: boolean;
  nextCursor: string | null;
}

export interface OrderEvent {
  id: number;
  user: UserRef | null;
  from: OrderState;
  to: OrderState;
  shippedOn: string | null;
  version: number;
  at: string;
}

export interface OrderMoveInput {
  state: 'shipped' | 'delivered' | 'cancelled';
  shippedOn?: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export interface SignupInput {
  name: string;
  surname: string;
  email: string;
  password: string;
}

export interface NewUserInput extends SignupInput {
  role: Role;
}

export interface OrderInput {
  storeCode: string;
  productCode: string;
  quantity: string | number;
  cardNumber: string;
  orderDate: string;
  shippingDate: string;
}

export interface Invitation {
  email: string;
  role: Role;
  expiresAt: string;
}

export interface NewInvitation extends Invitation {
  id: number;
  /** Shown once: only its hash is kept. */
  token: string;
}
