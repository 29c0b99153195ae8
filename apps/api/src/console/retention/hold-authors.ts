import { StaffActor, StaffService, establishmentsWith } from '@carepact/identity';

/**
 * Who placed each legal hold: `staff:<id>` (how RetentionService records it) → the account's name.
 * Empty for staff who may not list the accounts (`user.manage`): the page says « un compte inconnu ».
 */
export async function holdAuthorNames(staff: StaffService, actor: StaffActor): Promise<Map<string, string>> {
  if (!establishmentsWith(actor, 'user.manage').length) return new Map();
  const users = await staff.listUsers(actor);
  return new Map(users.map((u) => [`staff:${u.id}`, u.name]));
}
