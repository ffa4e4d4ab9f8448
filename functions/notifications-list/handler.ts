import * as z from 'zod';
import { routeById } from '@contract/routes';
import { callerOf, httpHandler } from '@kit/http';
import { pageOf, pageQuery } from '@kit/pagination';
import { notificationInbox } from '@services/kyc';

const inbox = notificationInbox();

/** GET /api/notifications/: the caller's own notifications and their roles' (admins' review alerts). */
export const handler = httpHandler(
  { route: routeById('ListNotifications'), query: z.object(pageQuery) },
  async (request) => {
    const caller = callerOf(request);
    // Ownership: the partitions read are derived from the verified token only.
    const recipients = [`USER#${caller.sub}`, ...caller.groups.map((group) => `ROLE#${group}`)];
    const page = await inbox.list(recipients, {
      limit: request.params.page_size,
      cursor: request.params.cursor,
    });
    return {
      statusCode: 200,
      body: pageOf(
        request,
        page,
        page.items.map((item) => ({
          notification_id: item.notificationId,
          type: item.type,
          title: item.title,
          message: item.message,
          created_at: item.createdAt,
          data: item.data,
        })),
      ),
    };
  },
);
