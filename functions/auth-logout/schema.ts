import * as z from 'zod';
import { refreshTokenField } from '@kit/fields';

export const logoutBody = z.object({ refresh: refreshTokenField });
