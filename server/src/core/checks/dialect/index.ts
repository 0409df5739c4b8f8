// Dialect checks: FreeBSD's statement order, and migration between OpenBSD and FreeBSD/macOS syntax.
import type { Check } from '../context';
import { openbsdOldStyle } from './openbsd-old-style';
import { freebsdUnsupported } from './freebsd-unsupported';
import { sectionOrder } from './section-order';

export { openbsdOldStyle, freebsdUnsupported, sectionOrder };

export const DIALECT_CHECKS: Check[] = [sectionOrder, openbsdOldStyle, freebsdUnsupported];
