import { STAFF_ROLE_LABELS } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { renderPage } from '../views';
import { ConsolePage } from './console-layout';

export interface HomeEstablishment {
  id: string;
  name: string;
  roles: (keyof typeof STAFF_ROLE_LABELS)[];
}

/** The console's first page: who you are, where you work and in which roles. */
export function consoleHomePage(actor: StaffActor, csrf: string, establishments: HomeEstablishment[]): string {
  return renderPage(
    <ConsolePage title="Accueil" actor={actor} csrf={csrf} current="home">
      <h1>Bonjour {actor.name}</h1>
      <h2>Vos établissements</h2>
      {establishments.length ? (
        <ul>
          {establishments.map((e) => (
            <li key={e.id}>
              <strong>{e.name}</strong> — {e.roles.map((r) => STAFF_ROLE_LABELS[r]).join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun rôle ne vous est encore attribué. Demandez à l’administrateur de votre organisation.</p>
      )}
    </ConsolePage>,
  );
}
