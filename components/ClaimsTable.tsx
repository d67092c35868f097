export function ClaimsTable({ claims, labels, testId }: { claims: Record<string, unknown>; labels: { claim: string; value: string }; testId: string }) {
  return (
    <table className="w-full text-sm border-collapse" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col" className="text-start border-b border-line py-1 pe-3">{labels.claim}</th>
          <th scope="col" className="text-start border-b border-line py-1">{labels.value}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(claims).map(([k, v]) => (
          <tr key={k} data-claim={k}>
            <th scope="row" className="text-start font-mono align-top py-1 pe-3" dir="ltr">{k}</th>
            <td className="font-mono break-all py-1" dir="ltr">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
