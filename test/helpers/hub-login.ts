// A browser in miniature for a real JupyterHub: keeps cookies, follows redirects only when told, and logs in
// to the hub through the configurator service's OAuth redirect (as jupyterhub-login.test.ts does).

/** Keeps cookies across requests to one hub. */
export class HubBrowser {
  readonly cookies = new Map<string, string>();
  readonly hubUrl: string;
  constructor(hubUrl: string) {
    this.hubUrl = hubUrl;
  }

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(url, this.hubUrl), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      if (value.join('=') === '' || /Max-Age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return response;
  }

  /** Logs in through the service's login redirect; returns the last response of the chain. */
  async loginThroughService(user: string, start = '/services/configurator/admin/'): Promise<Response> {
    let response = await this.go(start);
    if (response.status !== 302) throw new Error(`expected a login redirect, got ${response.status}`);
    response = await this.go(response.headers.get('location')!);
    const login = response.headers.get('location')!;
    response = await this.go(login, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user, password: 'testpass' }).toString(),
    });
    for (let hops = 0; hops < 6 && response.status === 302; hops++) {
      const next = response.headers.get('location')!;
      if (next.startsWith('/services/configurator/') && !next.includes('oauth_callback')) break;
      response = await this.go(next);
    }
    return response;
  }
}
