// Compile-only: a wrapped loader or action keeps React Router's argument and result types.
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  redirect,
  type useLoaderData,
} from 'react-router'
import { loginRequired, withSessions } from '../../src/adapters/react-router/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions<{ cart: string[] }>({ store: new MemoryStore() })
const auth = new AuthSessions<Record<string, never>, { id: string }>({ store: new MemoryStore() })

export const loader = withSessions(sessions, async ({ request, params }: LoaderFunctionArgs) => {
  const cart: string[] = (await sessions.of(request).get('cart')) ?? []
  return { cart, id: params.id }
})
type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>
const cart: string[] = ({} as LoaderData).cart
// @ts-expect-error the loader's data has no such key
;({}) as LoaderData satisfies { missing: number }

export const action = withSessions([sessions, auth], async ({ request }: ActionFunctionArgs) => {
  await auth.of(request).login({ id: 'ada' })
  if (cart.length > 0) throw redirect('/')
  return data({ ok: true }, { status: 201 })
})

export const account = withSessions(
  auth,
  loginRequired(auth, { redirectTo: '/login' })(async ({ request }: LoaderFunctionArgs) => ({
    user: await auth.of(request).currentUser(),
  })),
)
export const user: { id: string } | undefined = (await account({} as LoaderFunctionArgs)).user

// @ts-expect-error a loader takes React Router's arguments, with a request
withSessions(sessions, async (args: { params: object }) => args)
