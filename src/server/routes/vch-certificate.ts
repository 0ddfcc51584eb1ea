// GET .../vch/{vchId}/certificate: the VCH's host (server) certificate in PEM, for clients' trust stores. Only the
// public certificate: the configuration is decoded without unsealing secrets, and the key is never read.
import { decodeVchConfigDetailed } from '../../vic/config/index.js';
import { locateVch } from '../../vic/vch/locate.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../router.js';
import { withTarget } from '../vsphere-target.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\s*/g;

export function certificateRoute(prefix: string): Route {
  return {
    method: 'GET', path: `${prefix}/vch/{vchId}/certificate`, handler: async (ctx) => {
      const pem = await withTarget(ctx, async (session, t) => {
        const { vch } = await locateVch(session, { ...t.scope, id: ctx.params['vchId']! });
        const { config } = decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false });
        const raw = config.certificate.hostCertificate?.cert;
        const text = raw && raw.length ? Buffer.from(raw).toString('utf8') : '';
        // certificates only, whatever else the field holds
        const certs = text.match(PEM_CERT)?.join('') ?? '';
        if (!certs) throw new ApiError(404, { message: `No certificate found for VCH ${vch.id}: it was made without TLS (--no-tls)`, type: 'not-found' });
        return certs;
      });
      return { status: 200, text: pem, contentType: 'application/x-pem-file' };
    },
  };
}
