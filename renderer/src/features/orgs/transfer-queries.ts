import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { userKeys } from '../users/queries';
import { orgKeys } from './queries';

/** Exports an org; the archive comes back whole, for the browser to save. */
export const useExportOrg = () => useMutation({ mutationFn: (id: string) => call('orgs.export', { id }) });

/** Uploads an archive in chunks (reporting progress) and asks for its preview. */
export const usePreviewImport = (onProgress: (sent: number, total: number) => void) =>
  useMutation({
    mutationFn: async (file: File) =>
      call('orgs.importPreview', { uploadId: await uploadFile(file, 'archive', onProgress) }),
  });

/** Applies a previewed archive; a new org and its users appear. */
export function useApplyImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { importId: string; slug?: string }) => call('orgs.importApply', input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: orgKeys.all }),
        client.invalidateQueries({ queryKey: userKeys.all }),
      ]),
  });
}
