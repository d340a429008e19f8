// latch-login/element as a TypeScript app uses it: the element's events typed by name, its
// options and widget; the @ts-expect-error lines must stay errors.
import 'latch-login/element';
import { LatchLoginElement, type LatchLoginEventMap } from 'latch-login/element';

const element = document.createElement('latch-login');
const same: LatchLoginElement = element;
element.options = { auth: { tokenStorage: 'sessionStorage' }, theme: { labeledSubmitButton: false } };
element.setAttribute('client-id', 'client');
element.addEventListener('authenticated', (event) => console.log(event.detail.profile.user_id, event.detail.accessToken?.length));
element.addEventListener('authorization_error', ({ detail }) => console.warn(detail.error, detail.errorDescription));
element.addEventListener('renewed', ({ detail }) => console.log(detail.expiresAt));
element.addEventListener('click', (event: MouseEvent) => console.log(event.button));
const detail: LatchLoginEventMap['hash_parsed']['detail'] = null;
element.show({ flashMessage: { text: 'Welcome back' } });
const token: Promise<string> | undefined = element.latch?.getTokenSilently();
console.log(same, detail, token);

// @ts-expect-error the authenticated payload has no `user`
element.addEventListener('authenticated', (event) => event.detail.user);
// @ts-expect-error the widget is null while the element is not in a document
element.latch.getUser();
// @ts-expect-error tokens are kept in memory or sessionStorage, nowhere else
element.options = { auth: { tokenStorage: 'localStorage' } };
