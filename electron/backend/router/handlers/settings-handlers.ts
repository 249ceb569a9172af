import type { SettingsService } from '../../services/settings-service';
import type { HandlerGroup } from '../handler';

export function settingsHandlers(settings: SettingsService): HandlerGroup {
  return {
    'settings.get': () => settings.current(),
    'settings.update': (patch, { principal }) => settings.update(principal, patch),
    'settings.logo': () => settings.logo(),
    'settings.setLogo': ({ base64 }, { principal }) => settings.setLogo(principal, base64),
  };
}
