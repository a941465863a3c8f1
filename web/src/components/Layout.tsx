import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { session } from '../auth/session';
import { useSession } from '../auth/use-session';
import { useCart } from '../lib/cart';

export function Layout() {
  const state = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const user = state.status === 'signedIn' ? state.user : undefined;
  const cartCount = useCart().reduce((sum, line) => sum + line.quantity, 0);
  const next = encodeURIComponent(location.pathname + location.search);
  // The session forgets its tokens at once; the gateway's log-out goes on in the background, so
  // a shopper who moves on meanwhile is not sent back to the shop when it answers.
  const logOut = () => {
    void session.logOut();
    void navigate('/');
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand" aria-label="Radiata home">
          Radiata
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Shop
              </NavLink>
            </li>
            <li>
              <NavLink to="/sales">Time sales</NavLink>
            </li>
            <li>
              <NavLink to="/coupons" end>
                Coupons
              </NavLink>
            </li>
            <li>
              <NavLink to="/cart">
                Cart
                {cartCount > 0 && (
                  <span className="badge">
                    {cartCount}
                    <span className="visually-hidden"> items</span>
                  </span>
                )}
              </NavLink>
            </li>
            {user ? (
              <>
                <li>
                  <NavLink to="/orders">My orders</NavLink>
                </li>
                <li>
                  <NavLink to="/coupons/mine">My coupons</NavLink>
                </li>
                <li>
                  <NavLink to="/account">Account</NavLink>
                </li>
                {user.role === 'SELLER' && (
                  <li>
                    <NavLink to="/seller">Seller</NavLink>
                  </li>
                )}
                {user.role === 'ADMIN' && (
                  <li>
                    <NavLink to="/admin">Admin</NavLink>
                  </li>
                )}
                <li>
                  <button type="button" className="link-button" onClick={logOut}>
                    Log out
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to={`/login?next=${next}`}>Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/signup">Sign up</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        {user && (
          <p className="signed-in-as">
            Signed in as <strong>{user.name}</strong>
            {user.role !== 'CUSTOMER' && <span className="badge">{user.role === 'ADMIN' ? 'Admin' : 'Seller'}</span>}
          </p>
        )}
      </header>
      {state.status === 'signedOut' && state.reason === 'ended' && (
        <p className="notice" role="status">
          Your session has ended. Please <Link to={`/login?next=${next}`}>log in</Link> again.
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Radiata: time sales and limited coupons, first come first served.</p>
      </footer>
    </>
  );
}
