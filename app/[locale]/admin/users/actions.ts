'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';

/** Creates a user (POST /users); a temporary password unless "permanent" is ticked, or an invitation by e-mail. */
export async function createUserAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const username = field(data, 'username').trim();
  const email = field(data, 'email').trim();
  const password = field(data, 'password');
  const permanent = data.get('permanent') === 'on';
  const invite = data.get('invite') === 'on';
  const body = {
    username,
    ...(email ? { email, email_verified: data.get('email_verified') === 'on' } : {}),
    ...(password ? { password, status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD' } : {}),
    ...(invite ? { invite } : {}),
  };
  const done = await callAdmin(ctx, { method: 'POST', path: '/users', body });
  if (!done.ok) {
    return problemState(
      t,
      done,
      {
        '/username': { name: 'username', label: t('users.username') },
        '/email': { name: 'email', label: t('users.email') },
        '/password': { name: 'password', label: t('users.password') },
        '/invite': { name: 'invite', label: t('users.invite') },
      },
      { username, email, email_verified: data.get('email_verified') === 'on' ? 'on' : '', permanent: permanent ? 'on' : '', invite: invite ? 'on' : '' },
    );
  }
  redirect(`/${ctx.locale}/admin/users/${seg(username)}?notice=${invite ? 'invited' : 'created'}`);
}
