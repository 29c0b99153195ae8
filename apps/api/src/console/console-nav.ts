import { Permission, StaffActor, establishmentsWith } from '@carepact/identity';

/**
 * The console's sections, each shown only to those whose roles open it (issue 10: every role sees
 * what it may do and nothing else). A section is listed here when its pages exist.
 */
export interface NavItem {
  key: 'home' | 'residents' | 'bulk' | 'audit' | 'establishments' | 'admin' | 'queues' | 'archives' | 'conservation' | 'visas';
  label: string;
  href: string;
  /** Shown when the person holds this permission in at least one establishment; none = everyone. */
  permission?: Permission;
}

export const NAV: readonly NavItem[] = [
  { key: 'home', label: 'Accueil', href: '/console' },
  { key: 'residents', label: 'Résidents', href: '/console/residents', permission: 'resident.read' },
  { key: 'bulk', label: 'Générations groupées', href: '/console/generations', permission: 'document.write' },
  { key: 'audit', label: 'Journal d’audit', href: '/console/journal', permission: 'audit.read' },
  { key: 'establishments', label: 'Établissements', href: '/console/admin/etablissements', permission: 'establishment.write' },
  { key: 'admin', label: 'Comptes', href: '/console/admin/comptes', permission: 'user.manage' },
  { key: 'queues', label: 'Files de travaux', href: '/console/admin/files', permission: 'user.manage' },
  { key: 'archives', label: 'Archives', href: '/console/archives', permission: 'records.manage' },
  { key: 'conservation', label: 'Conservation', href: '/console/conservation', permission: 'records.manage' },
  { key: 'visas', label: 'Visas internes', href: '/console/visas', permission: 'establishment.write' },
];

export function navFor(actor: StaffActor): NavItem[] {
  // The landing page is « À faire » for those who work on residents' files (console-home.controller.ts).
  const todo = establishmentsWith(actor, 'resident.read').length > 0;
  return NAV.filter((item) => !item.permission || establishmentsWith(actor, item.permission).length > 0).map((item) =>
    item.key === 'home' && todo ? { ...item, label: 'À faire' } : item,
  );
}
