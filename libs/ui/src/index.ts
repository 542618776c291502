import './styles/tokens.css';
import './styles/components.css';

export { useNow } from './use-now';
export { Clock, makeDateTimeFormat, type ClockProps } from './components/clock';
export { ConnectionIndicator, type ConnectionIndicatorProps, type ConnectionStatus } from './components/connection-indicator';
export { Button, BigButton, type ButtonProps, type BigButtonProps, type ButtonVariant, type ButtonSize } from './components/button';
export { ServiceBadge, serviceColor, type ServiceBadgeProps } from './components/service-badge';
export { StatTile, ServiceTile, type StatTileProps, type ServiceTileProps, type ServiceTileStat, type Tone } from './components/tile';
export { StatusPill } from './components/status-pill';
export { LanguageToggle, type LanguageToggleProps, type LanguageOption } from './components/language-toggle';
export { Dialog, type DialogProps } from './components/dialog';
export { Icon, type IconName, type IconProps } from './components/icon';
