import { NavLink, Outlet, type To } from 'react-router';

export interface Tab {
  readonly label: string;
  readonly to: To;
  /** Active only on exactly this path (the section's first tab). */
  readonly end?: boolean;
}

/** A section of pages under one heading with its tabs (account, seller, admin); the page below. */
export function TabbedSection({
  id,
  title,
  tabs,
}: {
  readonly id: string;
  readonly title: string;
  readonly tabs: readonly Tab[];
}) {
  const titleId = `${id}-title`;
  return (
    <section aria-labelledby={titleId} className="account">
      <h1 id={titleId}>{title}</h1>
      <nav aria-label={title}>
        <ul className="tabs">
          {tabs.map((tab) => (
            <li key={tab.label}>
              <NavLink className="tab" to={tab.to} end={tab.end}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </section>
  );
}
