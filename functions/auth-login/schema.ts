import * as z from 'zod';
import { REQUIRED, requiredString } from '@kit/validation';

export const loginBody = z.object({
  username: requiredString(150),
  password: z
    .string({ error: (issue) => (issue.input == null ? REQUIRED : 'Not a valid string.') })
    .min(1, 'This field may not be blank.'),
});
