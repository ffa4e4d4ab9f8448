import * as z from 'zod';
import { refreshTokenField } from '@kit/fields';

export const refreshBody = z.object({ refresh: refreshTokenField });
