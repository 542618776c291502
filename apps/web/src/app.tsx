import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { RequireUser } from './components/require-user';
import { RouteError } from './components/route-error';
import { ScreenLoading } from './components/screen-state';
import { HomeScreen } from './screens/home/home-screen';
import { LoginScreen } from './screens/login/login-screen';
import { NotFoundScreen } from './screens/home/not-found-screen';

// Each device loads only its own screen: the wall display never downloads the admin.
const KioskScreen = lazy(() => import('./screens/kiosk/kiosk-screen').then((m) => ({ default: m.KioskScreen })));
const TrackScreen = lazy(() => import('./screens/track/track-screen').then((m) => ({ default: m.TrackScreen })));
const DisplayScreen = lazy(() => import('./screens/display/display-screen').then((m) => ({ default: m.DisplayScreen })));
const CounterScreen = lazy(() => import('./screens/counter/counter-screen').then((m) => ({ default: m.CounterScreen })));
const AdminScreen = lazy(() => import('./screens/admin/admin-screen').then((m) => ({ default: m.AdminScreen })));
const RepairsScreen = lazy(() => import('./screens/repairs/repairs-screen').then((m) => ({ default: m.RepairsScreen })));
const HotlineScreen = lazy(() => import('./screens/hotline/hotline-screen').then((m) => ({ default: m.HotlineScreen })));
const ManagerScreen = lazy(() => import('./screens/manager/manager-screen').then((m) => ({ default: m.ManagerScreen })));
const CallbacksScreen = lazy(() => import('./screens/callbacks/callbacks-screen').then((m) => ({ default: m.CallbacksScreen })));
const RepairStatusScreen = lazy(() => import('./screens/repair-status/repair-status-screen').then((m) => ({ default: m.RepairStatusScreen })));

function withSuspense(node: ReactNode) {
  return <Suspense fallback={<ScreenLoading />}>{node}</Suspense>;
}

const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <HomeScreen /> },
      { path: '/login', element: <LoginScreen /> },
      { path: '/kiosk/:branchCode', element: withSuspense(<KioskScreen />) },
      { path: '/t/:ticketId', element: withSuspense(<TrackScreen />) },
      { path: '/r/:orderNo', element: withSuspense(<RepairStatusScreen />) },
      { path: '/display/:branchCode', element: withSuspense(<DisplayScreen />) },
      {
        path: '/counter',
        element: <RequireUser roles={['frontdesk', 'manager', 'admin']}>{withSuspense(<CounterScreen />)}</RequireUser>,
      },
      {
        path: '/admin',
        element: <RequireUser roles={['manager', 'admin']}>{withSuspense(<AdminScreen />)}</RequireUser>,
      },
      {
        path: '/repairs',
        element: <RequireUser roles={['technician', 'frontdesk', 'manager', 'admin']}>{withSuspense(<RepairsScreen />)}</RequireUser>,
      },
      {
        path: '/hotline',
        element: <RequireUser roles={['agent', 'manager', 'admin']}>{withSuspense(<HotlineScreen />)}</RequireUser>,
      },
      {
        path: '/manager',
        element: <RequireUser roles={['manager', 'admin']}>{withSuspense(<ManagerScreen />)}</RequireUser>,
      },
      {
        path: '/callbacks',
        element: <RequireUser roles={['agent', 'frontdesk', 'manager', 'admin']}>{withSuspense(<CallbacksScreen />)}</RequireUser>,
      },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
