import { render } from 'preact';

render(<p>preview</p>, document.getElementById('app')!);
